"""Kend din kommune: the domain core (marts, queries, formatting). Never imports dash."""
