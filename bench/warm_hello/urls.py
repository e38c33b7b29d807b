from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

api = NinjaAPI(docs_url=None, openapi_url=None)


@api.get("/hello")
def hello(request: HttpRequest) -> dict[str, str]:
    return {"hello": "world"}


urlpatterns = [path("", api.urls)]
