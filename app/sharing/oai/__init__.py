"""The OAI-PMH 2.0 provider at ``/oai``, built on pyoai's server (``oaipmh``).

- ``provider``: the six verbs, wired into pyoai; request checks pyoai leaves out.
- ``records``: which records a principal harvests, in datestamp order (keyset pages).
- ``sets``: category, document type, year and briefings.
- ``tokens``: signed, stateless resumption tokens.
- ``crosswalk``: the ``oai_dc`` and ``nd30`` metadata (schemas/oai/nd30.xsd).

What leaves is decided by ``app.sharing.visibility`` only.
"""
