"""Gunicorn settings for Jotter.

The address and the application are named on the command line, run from the root of
the repository (or pass this file's full path)::

    gunicorn -c examples/blog/deploy/gunicorn.conf.py --bind 127.0.0.1:8000 jotter.wsgi:app
"""

# Sync workers: separate processes, one request at a time each. Start with two per core
# and measure; more processes cost memory, not correctness, because no worker keeps
# anything between requests that another one would need.
workers = 2
worker_class = "sync"

# One line per request on standard output. %(p)s is the id of the worker process that
# answered, which shows how requests spread over the workers.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s pid=%(p)s'

# Recent Gunicorn releases open a control socket under ~/.gunicorn for their gunicornc
# tool. Jotter does not need it, and two servers on one machine would share the path.
# (Older releases do not know this setting and skip it.)
control_socket_disable = True
