"""Page-number pagination with a client-chosen page size (bounded).

``page`` and ``page_size`` must be positive integers (empty: not given); anything
else is a 400 naming the parameter, where DRF would quietly use the default size or
answer "Invalid page." with a 404. A page past the last one is a 404 that says how
many pages there are; a ``page_size`` over the maximum is served at the maximum.
"""

from typing import Any

from django.core.paginator import InvalidPage
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request


def _positive(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if not raw:  # absent or empty (?page=): not given, like every query parameter
        return None
    digits = raw.lstrip("0")
    if not (raw.isascii() and raw.isdigit() and digits):
        raise ValidationError(
            {name: [f"Must be a positive integer, not {raw[:20]!r}."]}
        )
    return int(digits) if len(digits) <= 12 else 10**12  # past any page, any size


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        size = _positive(request, self.page_size_query_param)
        if size is None:
            return int(self.page_size or self.max_page_size)
        return min(size, self.max_page_size)

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        self.request = request
        number = _positive(request, self.page_query_param) or 1
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(
                f"page: there is no page {number} (there are {paginator.num_pages})."
            ) from None
        return list(self.page)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
