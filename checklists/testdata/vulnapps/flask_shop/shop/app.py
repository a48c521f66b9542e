"""A small shop: products, orders, an admin area. Deliberately vulnerable:
every line marked VULN is a planted defect (see ../../README.md)."""
import base64
import hashlib
import json
import os
import pickle
import random
import re
import sqlite3
import subprocess

import jwt
import paramiko
import requests
import yaml
from flask import Flask, Markup, redirect, render_template_string, request, send_file
from flask_cors import CORS
from jinja2 import Environment
from lxml import etree
from sqlalchemy import text

app = Flask(__name__)
app.secret_key = "f3c9a1e7b2d84c6a9e0f1b2c3d4e5f60"  # VULN: hardcoded-secret
app.config["SECRET_KEY"] = "another-fixed-s3cret-for-sessions"  # VULN: hardcoded-secret
ADMIN_PASSWORD = "Winter2024!shop"  # VULN: hardcoded-secret
UPLOADS = "/srv/shop/uploads"
CORS(app, supports_credentials=True)  # VULN: cors


def db():
    return sqlite3.connect("shop.db")


@app.route("/products")
def products():
    q = request.args.get("q", "")
    rows = db().execute(f"SELECT id, name FROM products WHERE name LIKE '%{q}%'").fetchall()  # VULN: sqli
    return {"products": rows}


@app.route("/orders/<order_id>")
def order(order_id):
    cur = db().cursor()
    cur.execute("SELECT * FROM orders WHERE id = %s" % order_id)  # VULN: sqli
    return {"order": cur.fetchone()}


@app.route("/orders/search")
def order_search():
    status = request.args["status"]
    sql = ("SELECT * FROM orders "  # VULN: sqli
           "WHERE status = '" + status + "'")
    return {"orders": db().execute(sql).fetchall()}


@app.route("/admin/ping")
def ping():
    host = request.args["host"]
    os.system("ping -c 1 " + host)  # VULN: cmdi
    return "ok"


@app.route("/admin/report")
def report():
    name = request.args["name"]
    out = subprocess.check_output(f"generate-report {name}", shell=True)  # VULN: cmdi
    return out


@app.route("/calc")
def calc():
    return str(eval(request.args["expr"]))  # VULN: code-injection


@app.route("/hello")
def hello():
    name = request.args.get("name", "guest")
    return render_template_string("<h1>Hello " + name + "</h1>")  # VULN: ssti


@app.route("/banner")
def banner():
    text = request.args.get("text", "")
    return Markup("<div class='banner'>%s</div>" % text)  # VULN: xss


@app.route("/greet")
def greet():
    who = request.args.get("who", "friend")
    return f"<p>Welcome back, {who}!</p>"  # VULN: xss


@app.route("/newsletter")
def newsletter():
    env = Environment(autoescape=False)  # VULN: xss
    return env.from_string("<p>{{ body }}</p>").render(body=request.args["body"])


@app.route("/cart/restore", methods=["POST"])
def restore_cart():
    return {"cart": pickle.loads(request.get_data())}  # VULN: deserialization


@app.route("/import", methods=["POST"])
def import_products():
    data = yaml.load(request.get_data(), Loader=yaml.Loader)  # VULN: deserialization
    return {"imported": len(data)}


@app.route("/feed", methods=["POST"])
def feed():
    doc = etree.fromstring(request.get_data())  # VULN: xxe
    return {"items": len(doc)}


@app.route("/invoice")
def invoice():
    name = request.args["file"]
    return send_file(os.path.join(UPLOADS, name))  # VULN: path-traversal


@app.route("/login/next")
def after_login():
    return redirect(request.args.get("next", "/"))  # VULN: open-redirect


@app.route("/preview")
def preview():
    url = request.args["url"]
    page = requests.get(url)  # VULN: ssrf
    return page.text


@app.route("/register", methods=["POST"])
def register():
    pw = request.form["password"]
    digest = hashlib.md5(pw.encode()).hexdigest()  # VULN: weak-hash
    db().execute("INSERT INTO users (email, password) VALUES (?, ?)", (request.form["email"], digest))
    return "registered"


@app.route("/reset", methods=["POST"])
def reset():
    reset_token = str(random.randint(100000, 999999))  # VULN: insecure-random
    db().execute("UPDATE users SET reset_token = ? WHERE email = ?", (reset_token, request.form["email"]))
    return "sent"


@app.route("/admin/delete/<int:pid>", methods=["POST"])
def delete_product(pid):
    assert request.headers.get("X-Role") == "admin"  # VULN: assert-guard
    db().execute("DELETE FROM products WHERE id = ?", (pid,))
    return "deleted"


@app.route("/rates")
def rates():
    r = requests.get("https://rates.example.com/latest", verify=False)  # VULN: tls
    return r.json()


VERIFY_PARTNER_TOKENS = False


@app.route("/partner/orders")
def partner_orders():
    token = request.headers["X-Partner-Token"]
    claims = jwt.decode(token, os.environ["PARTNER_KEY"], algorithms=["RS256"],  # VULN: jwt
                        options={"verify_signature": VERIFY_PARTNER_TOKENS})
    return {"partner": claims["iss"]}


@app.route("/partner/session")
def partner_session():
    token = request.cookies["partner"]
    head = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    claims = jwt.decode(token, os.environ["PARTNER_KEY"], algorithms=[head["alg"]])  # VULN: jwt
    return {"partner": claims["iss"]}


@app.route("/admin/warehouse-log")
def warehouse_log():
    ssh = paramiko.SSHClient()
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # VULN: tls
    ssh.connect("warehouse.internal", username="shop", key_filename="/etc/shop/id_ed25519")
    _, out, _ = ssh.exec_command("grep " + request.args["order"] + " /var/log/warehouse.log")  # VULN: cmdi
    return out.read()


@app.route("/newsletter", methods=["POST"])
def newsletter():
    email = request.form["email"]
    if not re.match(r"^([a-zA-Z0-9]([-.\w]*[a-zA-Z0-9])*@([a-zA-Z0-9][-\w]*\.)+[a-zA-Z]{2,})$", email):  # VULN: redos
        return {"error": "invalid e-mail"}, 400
    return {"subscribed": email}


@app.route("/reviews/search")
def review_search():
    term = request.args.get("term", "")
    rows = db_session.query(Review).filter(text(f"body like '%{term}%'")).all()  # VULN: sqli
    return {"reviews": [r.id for r in rows]}


@app.route("/profile", methods=["POST"])
def profile():
    customer = load_customer(request.cookies["customer"])
    for field, value in request.get_json().items():
        setattr(customer, field, value)  # VULN: mass-assign
    return {"saved": True}



@app.route("/catalog/price")
def catalog_price():
    sku = request.args.get("sku", "")
    found = etree.parse("catalog.xml").xpath("//item[@sku='%s']/price/text()" % sku)  # VULN: xpath
    return {"price": found[0] if found else None}

if __name__ == "__main__":
    app.run(debug=True)  # VULN: debug
