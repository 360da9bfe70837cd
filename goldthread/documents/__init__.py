"""One HTML source rendered as the page, a print stylesheet, a tagged PDF and a Word document."""
