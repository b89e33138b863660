# ItemsFunction: the lab's Lambda function, a fixed catalogue of four items.
items = [
    {"ID": 1, "name": "Pen", "price": 2.5},
    {"ID": 2, "name": "Pencil", "price": 1.5},
    {"ID": 3, "name": "Highlighter", "price": 3.0},
    {"ID": 4, "name": "Ruler", "price": 5.0},
]


def lambda_handler(event, context):
    # The event shows in the function's log (the console's test output).
    print("Event: %s" % event)
    wanted = event.get("ID")
    if not wanted:
        return items  # no ID: the whole catalogue
    for item in items:
        if item["ID"] == wanted:
            return item
    raise Exception("NotFoundError")
