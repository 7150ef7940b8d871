# BOM, CRLF line endings and tab indentation
dependencies = ["torch"]

def crlf_model(pretrained=False):
	"""
	CRLF docstring.

		Indented with tabs.
	"""
	return None

if True:
	def tabbed():
		"Tabbed definition."
