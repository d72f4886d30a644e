"""Per-LO bundles (``lo-briefing bundles``): each LO's device carries the knowledge base and only the guests that LO
escorts or backs up, with everything sensitive locked by the LO's password.

- ``membership``: which guests go into which bundle (pure).
- ``secret``: the event secret, the LOs' passwords and the keys derived from them.
- ``lock``: encryption of guest pages' sensitive content (for WebCrypto in the browser), of PDFs (AES-256) and of
  the phone files.
- ``build``: builds each bundle with the site engine from the output plan, locks it and zips it.
- ``sheet``: the password sheet the trainer hands out in person (made only on request, never into a bundle).
"""
