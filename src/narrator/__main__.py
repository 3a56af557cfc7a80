from narrator.cli import entry

entry()
