"""Views of the blog. Deliberately vulnerable (see ../../README.md)."""
import os
import tarfile
import tempfile
import xml.dom.minidom

import jwt
from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt

from .models import Comment, Post

MEDIA = "/srv/blog/media"


def search(request):
    term = request.GET.get("q", "")
    posts = Post.objects.raw("SELECT * FROM blog_post WHERE title LIKE '%%" + term + "%%'")  # VULN: sqli
    return JsonResponse({"ids": [p.id for p in posts]})


def by_author(request):
    author = request.GET["author"]
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM blog_post WHERE author = '{}'".format(author))  # VULN: sqli
        return JsonResponse({"ids": [r[0] for r in cur.fetchall()]})


def ranked(request):
    order = request.GET.get("order", "id")
    qs = Post.objects.annotate(rank=RawSQL("SELECT %s" % order, []))  # VULN: sqli
    return JsonResponse({"count": qs.count()})


def recent(request):
    days = request.GET.get("days", "7")
    qs = Post.objects.extra(where=["created > now() - interval '" + days + " days'"])  # VULN: sqli
    return JsonResponse({"count": qs.count()})


def comment_html(request, pk):
    comment = Comment.objects.get(pk=pk)
    return HttpResponse(mark_safe("<p>" + comment.body + "</p>"))  # VULN: xss


@csrf_exempt  # VULN: csrf
def delete_post(request, pk):
    Post.objects.filter(pk=pk).delete()
    return JsonResponse({"deleted": pk})


def api_me(request):
    token = request.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})  # VULN: jwt
    return JsonResponse(claims)


def download(request):
    name = request.GET["name"]
    with open(os.path.join(MEDIA, name), "rb") as fh:  # VULN: path-traversal
        return HttpResponse(fh.read())


def upload(request):
    f = request.FILES["file"]
    path = os.path.join(MEDIA, f.name)
    with open(path, "wb") as out:  # VULN: path-traversal
        out.write(f.read())
    os.chmod(path, 0o777)  # VULN: file-permissions
    return JsonResponse({"saved": f.name})


def export(request):
    tmp = tempfile.mktemp(suffix=".csv")  # VULN: insecure-temp
    with open(tmp, "w") as fh:
        fh.write("id,title\n")
    return JsonResponse({"file": tmp})


def import_opml(request):
    doc = xml.dom.minidom.parseString(request.body)  # VULN: xxe
    return JsonResponse({"feeds": len(doc.getElementsByTagName("outline"))})


def go(request):
    return redirect(request.GET["to"])  # VULN: open-redirect


def stats(request):
    return JsonResponse({"debug": settings.DEBUG})


def step(request):
    # the wizard's next step, by the name of the view that shows it
    handler = globals().get(request.GET.get("step", "stats"))  # VULN: code-injection
    return handler(request)


def import_theme(request):
    with tarfile.open(fileobj=request.FILES["theme"]) as tar:
        tar.extractall(os.path.join(MEDIA, "themes"))  # VULN: path-traversal
    return JsonResponse({"imported": True})


def feed(request):
    response = JsonResponse({"titles": [p.title for p in Post.objects.all()[:20]]})
    response["Access-Control-Allow-Origin"] = request.headers.get("Origin")  # VULN: cors
    response["Access-Control-Allow-Credentials"] = "true"
    return response


@csrf_exempt  # VULN: csrf
def change_pwd(request):
    # the author's new password, applied by the accounts service
    request.session["pending_password"] = request.POST["new_password"]
    return JsonResponse({"queued": True})
