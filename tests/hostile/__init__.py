"""The hostile-input suite: its cases (cases.yaml) and the makers of files that cannot be inline."""
