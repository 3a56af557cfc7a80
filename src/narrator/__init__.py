"""narrator: rule-based text of the 第三部分 (预算情况说明) of Chinese department budget disclosures.

The library API: :func:`narrator.intake.figures.load_figures`, :func:`narrator.text.render.render_file`,
:func:`narrator.text.formats.list_formats`; the ``narrator`` command is a thin layer over it.
"""

__version__ = "0.1.0"
