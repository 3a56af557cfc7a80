"""Importing the standard budget tables (an Excel workbook) into a figures file."""
