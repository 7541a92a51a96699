"""Flask-side glue for the Dash app: the request guard and error responses."""
