"""The command line's typer-free part: parameters declared as data, plain lines read quickly, the hot commands."""
