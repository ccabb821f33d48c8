"""The scratch database a benchmark builds its data in."""

from urllib.parse import urlparse


def create_postgres_database(database_url: str) -> None:
    """Create the PostgreSQL database named in `database_url` when it does not exist yet
    (nothing for another engine)."""
    url = urlparse(database_url)
    if not url.scheme.startswith("postgres"):
        return
    import psycopg2

    name = url.path.lstrip("/")
    admin = psycopg2.connect(dbname="postgres", user=url.username or "postgres", password=url.password or None,
                             host=url.hostname or "127.0.0.1", port=url.port or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
