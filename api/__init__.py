"""HTTP API over the knowledge graph (FastAPI); run with ``uvicorn api.main:create_app --factory``."""
