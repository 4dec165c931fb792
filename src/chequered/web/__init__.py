"""The FastAPI application: REST API, server-rendered pages. Built by ``chequered.web.app.create_app``."""
