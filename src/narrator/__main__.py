from narrator.console import entry

entry()
