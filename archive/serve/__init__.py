"""Faces over HTTP: ASGI apps (Starlette) served by uvicorn on this machine."""
