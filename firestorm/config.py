"""Default settings; instance/config.py and FIRESTORM_* environment variables override them."""

# The store, as the header shows it on every page.
STORE_NAME = "Firestorm Cafe & Books"
STORE_ADDRESS = "610 Haywood Rd, Asheville NC"
STORE_MAP_URL = "https://www.openstreetmap.org/search?query=610%20Haywood%20Rd%2C%20Asheville%20NC"
STORE_TIMEZONE = "America/New_York"
# The address in parts, for search engines (the BookStore's PostalAddress); left empty, they
# read STORE_ADDRESS whole.
STORE_POSTAL_ADDRESS = {
    "streetAddress": "610 Haywood Rd",
    "addressLocality": "Asheville",
    "addressRegion": "NC",
    "postalCode": "28806",
    "addressCountry": "US",
}
# Books' prices: the currency (an ISO 4217 code, e.g. "EUR"), and the locale whose way of
# writing numbers the pages use and the book form and CSV import read ("$18.00" in en_US,
# "18,00 €" and "12,5" in de_DE). The site's words stay English whatever the locale.
CURRENCY = "USD"
LOCALE = "en_US"
# The language of most of the catalog's books, for search to find a word's other forms
# ("spanish": "canciones" finds "canción"); a Snowball stemmer's name. Changing it needs no
# re-indexing: the index keeps words as written.
CATALOG_LANGUAGE = "english"
# [latitude, longitude] of the shop for search engines' maps, e.g. [35.5788, -82.5853]; None
# leaves it out.
STORE_GEO = None
# Contact details on /about and in the footer; empty ones are left out.
STORE_PHONE = ""
STORE_EMAIL = ""
NEWSLETTER_URL = ""
# (label, url) pairs shown in the header; empty ones are left out.
SOCIAL_LINKS: list[list[str]] = []

# Set by gunicorn.conf.py (`make serve`): the app then refuses to start without a secret key,
# with debug on, or without TRUSTED_HOSTS (see firestorm/production.py).
PRODUCTION = False

# The database: SQLite in the instance folder unless DATABASE_URL names another.
DATABASE_URL = ""
# hide_parameters: a database error must not write an email or a password hash into the log.
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

# Who did what (sign-ins, decisions, invitations) goes to stderr at this level and above.
LOG_LEVEL = "INFO"

# Left empty here on purpose: create_app() keeps a random key in instance/secret_key
# unless one is configured (FIRESTORM_SECRET_KEY in production).
SECRET_KEY = None

BOOKS_PER_PAGE = 24
# A search of words lists its best matches up to this many, and says when it found more (as
# Meilisearch does by default): counting every book a common word is in read the whole
# search index on PostgreSQL (70 ms at 100,000 books), and nobody reads 40 pages of them.
MOST_BOOKS_FOUND = 1000
REVIEWS_PER_PAGE = 10
# A book's stock history, newest first (/collective/books/<id>/stock).
STOCK_CHANGES_PER_PAGE = 50
# Holds and orders on /collective/holds, per list.
HOLDS_PER_PAGE = 25
# Accounts on /collective/people, active ones first.
PEOPLE_PER_PAGE = 50
# Review text, in characters: drafts may be shorter, submissions may not.
REVIEW_MIN_LENGTH = 100
REVIEW_MAX_LENGTH = 10_000
# Approvals a submission needs from collective members other than its author.
REVIEW_APPROVALS_REQUIRED = 1
INVITATION_DAYS = 7
# A hold that is ready for pickup expires when nobody collects it within this many days.
HOLD_DAYS = 7
# A customer's name, email, phone and note are erased this many days after their hold ends
# (`flask --app app purge`, run daily; see the README's deployment section).
HOLD_RETENTION_DAYS = 30
# Holds placed from one address (and as many orders on /order): enough for a family or a book
# club at one address, too few to flood the desk. (Flask-Limiter's notation.)
HOLD_LIMIT = "10 per hour"
# Holds cancelled from their own pages, from one address: more than a customer ever needs, too
# few to turn the cancel button into a way of hammering the site. (Flask-Limiter's notation.)
HOLD_CANCEL_LIMIT = "10 per hour"
# Hold confirmations mailed to one email address, whoever sends the form and from wherever: the
# form takes any address, so it must not be a way to fill a stranger's inbox. Past it the hold
# is placed and its page says no email was sent. The desk's ready emails are not counted.
HOLD_EMAIL_LIMIT = "3 per day"
# Event sign-ups: the person's name, email and phone are erased this many days after the date
# they signed up for (`flask --app app purge`).
EVENT_SIGNUP_RETENTION_DAYS = 30
# Sign-ups sent from one address, and sign-ups cancelled from their own pages: enough for a
# family or a book club at one address, too few to fill an evening. (Flask-Limiter's notation.)
EVENT_SIGNUP_LIMIT = "10 per hour"
EVENT_SIGNUP_CANCEL_LIMIT = "10 per hour"

# Looking a book up by its ISBN on the add-book form and when receiving a delivery
# (book_lookup/): Open Library's addresses, the books API and the covers server. Empty turns
# the lookup off (the member types every field). Answers are kept BOOK_LOOKUP_KEPT_DAYS (a day
# for an ISBN it did not know); each lookup waits BOOK_LOOKUP_TIMEOUT seconds at most for the
# facts, and as long again for the cover.
BOOK_LOOKUP_URL = "https://openlibrary.org"
COVER_LOOKUP_URL = "https://covers.openlibrary.org"
BOOK_LOOKUP_TIMEOUT = 3.0
BOOK_LOOKUP_KEPT_DAYS = 30

# CSV imports, newest first, on /collective/books/imports.
IMPORTS_PER_PAGE = 50
# In a CSV import a blank cell keeps what the book has; a cell holding exactly this (capitals
# and spaces aside) empties that value. Square brackets around a word, because a till or a
# spreadsheet never writes that for a missing value (they leave the cell empty, or write "-",
# "N/A", "none" or "0", any of which could also be a real value), and no book's subtitle or
# publisher is "[clear]". Set to "" and no import empties anything.
CSV_CLEAR_MARKER = "[clear]"
# Longer searches are cut to this length: nobody types more, and it bounds the query.
SEARCH_MAX_LENGTH = 200

# Addresses in one /sitemap.xml; beyond it, the sitemap becomes an index of several files
# (search engines read at most 50,000 addresses from one).
SITEMAP_URLS_PER_FILE = 50_000

# Uploads and form posts; covers are the largest thing anyone sends.
MAX_CONTENT_LENGTH = 8 * 1024 * 1024
# Where uploaded covers are kept (catalog/cover_storage.py): "folder" (COVERS_DIR, one
# server), "database" (the cover_files table, shared by every server on the database) or "s3"
# (an S3-compatible bucket, COVER_S3_*).
COVER_STORAGE = "folder"
# The covers folder, with COVER_STORAGE "folder": an absolute path, or a folder inside
# instance/; empty means instance/covers.
COVERS_DIR = ""
# With COVER_STORAGE "s3": the bucket; the service's address (empty: AWS itself); its region
# (empty: boto3's configuration). The credentials come from boto3's usual places (the
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables, ~/.aws, an instance role).
COVER_S3_BUCKET = ""
COVER_S3_ENDPOINT_URL = ""
COVER_S3_REGION = ""
# The bucket's public address ("https://covers.example.org"): pages then link covers there.
# Empty: the site reads them from the bucket and serves them at /covers/.
COVER_S3_PUBLIC_URL = ""

# How long a shared cache in front of the site (a CDN, a caching proxy) may keep a public page
# without asking again; never past the banner's next change (web/caching.py). Browsers ask
# every time, and signed-in pages are never kept.
PUBLIC_CACHE_SECONDS = 10
# Public pages each worker keeps as drawn, to send again until something on them changes
# (web/caching.py); about 10–60 kB each. 0 draws every page afresh.
PAGE_CACHE_ENTRIES = 300

# Static files are referenced with a content hash in the URL, so they can be cached for a year.
SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600

# Sign-in throttling per address (Flask-Limiter), wrong passwords per email and hold emails per
# recipient. Several gunicorn workers need a shared store:
# FIRESTORM_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 in production.
RATELIMIT_STORAGE_URI = "memory://"
# While that storage does not answer (Redis down), each worker counts the limits in its own
# memory and asks the storage again now and then, instead of answering 500: signing in and
# holds go on working (the site's own counts do the same: web/rate_limit_storage.py).
RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
# How long a worker waits for that storage, in seconds: to connect, and for each answer. Without
# a limit, a Redis that accepts connections but never answers (hung, or a network dropping
# packets) would hold every sign-in and hold for ever; past it, the worker counts in its memory
# as if Redis were down. Redis answers in a millisecond or so.
RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
RATELIMIT_HEADERS_ENABLED = True

# A form's CSRF token lasts as long as the session: a volunteer who drafts a review over a
# long shift must not lose it to an expired token.
WTF_CSRF_TIME_LIMIT = None
# The hidden field each form's token travels in; a page that drew one is never cached
# (web/caching.py).
WTF_CSRF_FIELD_NAME = "csrf_token"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Set FIRESTORM_SESSION_COOKIE_SECURE=true behind HTTPS in production.
SESSION_COOKIE_SECURE = False
# "Remember me": Flask-Login's cookie, which a signed-out visitor's page checks for before
# loading anyone (web/access.py).
REMEMBER_COOKIE_NAME = "remember_token"
REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
# Follows SESSION_COOKIE_SECURE unless set on its own (see create_app).
REMEMBER_COOKIE_SECURE = None

# A browser that signs in to an account is given a device cookie for it (people/
# trusted_devices.py): its wrong passwords are then counted on their own, so guessing from
# elsewhere, which shuts out new browsers for a while, never shuts the owner out of a browser
# they signed in with before. Each is named this, a dash and a digest of the account, sent only
# to the sign-in page, and lasts this many days from the last sign-in on that browser. Behind
# HTTPS, "__Secure-device" also stops a plain-http page on the domain from setting one.
DEVICE_COOKIE_NAME = "device"
DEVICE_COOKIE_DAYS = 180

# Invitation links are also mailed when MAIL_SERVER is set; otherwise the page shows the link.
MAIL_SERVER = ""
# None: the port of the mode below, 465 for SSL, 587 for STARTTLS (or plain SMTP).
MAIL_PORT = None
MAIL_USE_TLS = True  # STARTTLS after connecting
MAIL_USE_SSL = False  # SSL from the first byte (implicit TLS) instead
MAIL_USERNAME = ""
MAIL_PASSWORD = ""
MAIL_DEFAULT_SENDER = ""

# The site's own address, e.g. "https://books.example.org": every absolute link (canonical
# links, the sitemap, feeds, shared links, QR codes, invitation links, emails) is built from it,
# never from the address a visitor's request names. Required in production; empty elsewhere
# means the development server's address, http://127.0.0.1:5000.
SITE_URL = ""

# The host names the site answers to, e.g. ["books.example.org", "www.books.example.org"];
# other Host headers get a 400. In production, empty means SITE_URL's host alone.
TRUSTED_HOSTS = None

# Behind nginx or Caddy: how many proxies set X-Forwarded-For/-Proto. Without it every
# visitor seems to come from the proxy (one shared sign-in limit) and links start http://.
PROXY_COUNT = 0
