#!/bin/sh
# Creates the secrets docker-compose.yml needs, once; never overwrites one that exists.
#
#   sh deploy/make-secrets.sh
#
#   deploy/secrets/django_secret_key      Django's SECRET_KEY (sessions, tokens)
#   deploy/secrets/field_encryption_key   Fernet key encrypting officials' private contact data
#   .env                                  POSTGRES_PASSWORD, VARN_HOST, VARN_TLS for compose
#
# Back up field_encryption_key with the database backups: without it the private contact
# fields cannot be read. To rotate it, put a new key first, comma-separated, keep the old one
# after it until every row has been re-saved.
set -eu
cd "$(dirname "$0")/.."

random() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }

mkdir -p deploy/secrets
chmod 0700 deploy/secrets
# The files are bind-mounted into containers that run as uid 10001, so they must be readable
# there; the 0700 directory keeps other users on this host out.
umask 0022
if [ ! -s deploy/secrets/django_secret_key ]; then
    random 48 | tr '+/' '-_' > deploy/secrets/django_secret_key
    echo "created deploy/secrets/django_secret_key"
fi
if [ ! -s deploy/secrets/field_encryption_key ]; then
    # A Fernet key: 32 random bytes, URL-safe base64.
    random 32 | tr '+/' '-_' > deploy/secrets/field_encryption_key
    echo "created deploy/secrets/field_encryption_key"
fi

umask 0077
if [ ! -s .env ]; then
    {
        echo "# docker compose reads this file; keep it out of version control."
        echo "POSTGRES_PASSWORD=$(random 24 | tr -dc 'A-Za-z0-9')"
        echo "VARN_HOST=localhost"
        echo "VARN_TLS=internal"
    } > .env
    echo "created .env (set VARN_HOST and VARN_TLS before going live)"
fi
