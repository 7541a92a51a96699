"""The query layer: parameterised SQL against the live marts, DataFrames out.

Every public function takes the viewer's `Scope` first; visibility (public/restricted key figures,
embargo) is applied here and nowhere else, so no page, callback, download or API can bypass it.
"""
