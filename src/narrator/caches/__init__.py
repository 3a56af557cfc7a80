"""What narrator keeps between runs in its private folder: parsed data files, compiled rule code, compiled patterns."""
