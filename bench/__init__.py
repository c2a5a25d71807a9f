"""``make bench``: seed a realistic data set through the services, load the pages, time the batch work.

Run it as ``python -m bench`` (see ``bench/README.md``); the figures land in
``bench/results.json`` and ``bench/RESULTS.md``.
"""
