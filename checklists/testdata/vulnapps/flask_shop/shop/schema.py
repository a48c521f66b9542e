"""The shop's GraphQL API (graphene), mounted at /graphql. Deliberately
vulnerable: every line marked VULN is a planted defect."""
import graphene


class Query(graphene.ObjectType):
    invoice = graphene.String(number=graphene.String(required=True))

    def resolve_invoice(self, info, number):
        with open("/srv/shop/invoices/" + number + ".pdf", "rb") as fh:  # VULN: path-traversal
            return fh.read().hex()


schema = graphene.Schema(query=Query)
