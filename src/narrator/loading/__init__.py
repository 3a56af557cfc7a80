"""Files read safely: YAML with line numbers and no floats, the bytes' decoding, regular files only, bounds on zip packages."""
