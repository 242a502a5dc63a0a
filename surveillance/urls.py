"""Pages of the supervision app, mounted at the site root by ``config.urls``.

Each part of the supervision issue keeps its own module (``urls_complaints`` so far); this
module only joins them.
"""

from django.urls import URLPattern

from surveillance import urls_complaints

app_name = "surveillance"

urlpatterns: list[URLPattern] = [*urls_complaints.urlpatterns]
