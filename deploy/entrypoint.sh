#!/bin/sh
# Entrypoint of the Värn image: runs the container's command (gunicorn, celery worker, celery
# beat or manage.py) as PID 1's only child, with a umask that keeps new private files and
# directories out of reach of other users.
set -eu

if [ "$(id -u)" = "0" ]; then
    echo "entrypoint: refusing to run as root; the image runs as user varn" >&2
    exit 1
fi
umask 0027

if [ "$#" -eq 0 ]; then
    set -- gunicorn config.wsgi:application --config deploy/gunicorn.conf.py
fi
exec "$@"
