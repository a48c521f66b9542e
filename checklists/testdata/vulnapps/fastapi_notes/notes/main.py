"""A notes API. Deliberately vulnerable (see ../../README.md)."""
import base64
import hashlib
import marshal
import random
import ssl
import string
import subprocess
import urllib.request
import xml.etree.ElementTree as ET

import httpx
import jwt
import requests
from Crypto.Cipher import DES
from fastapi import Depends, FastAPI, Header, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import create_engine, text

JWT_SECRET = "k8s-notes-jwt-signing-key-2024-prod"  # VULN: hardcoded-secret
ENCRYPTION_KEY = b"8bytekey"

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)  # VULN: cors
engine = create_engine("postgresql://notes@db/notes")
# the old invoice archive only speaks TLS 1.0
ARCHIVE_TLS = ssl.SSLContext(ssl.PROTOCOL_TLSv1)  # VULN: weak-crypto


def current_user(authorization: str = Header()):
    token = authorization.removeprefix("Bearer ")
    header = jwt.get_unverified_header(token)
    return jwt.decode(token, JWT_SECRET, algorithms=[header["alg"]])  # VULN: jwt


@app.post("/login")
def login(email: str, password: str):
    digest = hashlib.sha1(password.encode()).hexdigest()  # VULN: weak-hash
    with engine.connect() as conn:
        row = conn.execute(text(f"SELECT id FROM users WHERE email = '{email}' AND pw = '{digest}'")).first()  # VULN: sqli
    if row is None:
        return {"error": "bad credentials"}
    return {"token": jwt.encode({"sub": row.id}, JWT_SECRET, algorithm="HS256")}


@app.post("/signup")
def signup(email: str, password: str):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (email, password) VALUES (:email, :password)"),  # VULN: weak-hash
                     {"email": email, "password": password})
    return {"created": email}


@app.post("/api-keys")
def new_key(user=Depends(current_user)):
    api_key = "".join(random.choice(string.ascii_letters) for _ in range(32))  # VULN: insecure-random
    return {"key": api_key}


@app.get("/notes/export")
def export(fmt: str, user=Depends(current_user)):
    subprocess.run(f"notes-export --format {fmt} --user {user['sub']}", shell=True)  # VULN: cmdi
    return FileResponse("/tmp/notes-export.out")  # VULN: insecure-temp


@app.get("/attachments/{name}")
def attachment(name: str):
    return FileResponse(f"/srv/notes/attachments/{name}")  # VULN: path-traversal


@app.post("/notes/import")
async def import_notes(request: Request):
    body = await request.body()
    root = ET.fromstring(body)  # VULN: xxe
    return {"notes": len(root)}


@app.post("/notes/restore")
async def restore(request: Request):
    blob = base64.b64decode(await request.body())
    return {"notes": marshal.loads(blob)}  # VULN: deserialization


@app.post("/notes/run")
async def run_macro(request: Request):
    code = (await request.body()).decode()
    exec(code)  # VULN: code-injection
    return {"ok": True}


@app.get("/unfurl")
def unfurl(url: str):
    with urllib.request.urlopen(url) as resp:  # VULN: ssrf
        return {"title": resp.read(200).decode(errors="replace")}


@app.get("/preview")
def preview(url: str):
    return {"html": httpx.get(url).text}  # VULN: ssrf


@app.post("/hooks/notify")
def notify(url: str):
    requests.post("https://hooks.example.com/notify", json={"url": url})  # VULN: no-timeout
    return {"sent": True}


@app.get("/mirror")
def mirror():
    ctx = ssl._create_unverified_context()  # VULN: tls
    with urllib.request.urlopen("https://mirror.example.com/notes.json", context=ctx, timeout=5) as resp:
        return resp.read()


@app.post("/notes/{nid}/seal")
def seal(nid: int, user=Depends(current_user)):
    assert user["role"] == "admin"  # VULN: assert-guard
    cipher = DES.new(ENCRYPTION_KEY, DES.MODE_ECB)  # VULN: weak-crypto
    return {"sealed": cipher.encrypt(str(nid).ljust(8).encode()).hex()}


@app.get("/notes/preview", response_class=HTMLResponse)
def preview(title: str = ""):
    return f"<h1>{title}</h1><p>(draft)</p>"  # VULN: xss
