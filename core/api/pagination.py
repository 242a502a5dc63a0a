from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """The one page shape of the API: ``?page=N&page_size=M`` (at most 200)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
