"""Publishing the rendered text as a document: Word (.docx) and a web page (.html)."""
