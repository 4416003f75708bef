"""Seeds a JupyterHub 3.0 database with many users whose (stopped) servers saved user_options, for bench:usage.

Usage: python3 scripts/seed-hub-users.py sqlite:////tmp/x/jupyterhub.sqlite 5000
Writes through JupyterHub's own ORM (the tables and schema stamp JupyterHub itself would create), before the hub
starts. Every user has a default server; every tenth also a named one; the options cycle through the sample
content's profiles and choices, a typed ("Other...") image and a profile the content no longer has.
"""

import sys

from jupyterhub import orm

OPTIONS = [
    {"profile": "data-science", "image": "scipy", "node": "small", "size": "small"},
    {"profile": "data-science", "image": "pangeo", "node": "large", "size": "large"},
    {"profile": "data-science", "image--unlisted-choice": "quay.io/someone/lab:1", "size": "medium"},
    {"profile": "gpu"},
    {"profile": "rstudio"},
    {"profile": "old-workshop"},
    {},
]


def main(url: str, count: int) -> None:
    db = orm.new_session_factory(url)()
    # JupyterHub gives every user the default role "user" at start-up, one by one (~40 ms each); seeding it here
    # keeps a 5,000-user hub's start under a minute. The hub updates the role's scopes itself when it starts.
    role = orm.Role(name="user", description="Standard user privileges", scopes=["self"])
    db.add(role)
    users = []
    for index in range(count):
        user = orm.User(name="user-%05d" % index)
        user.roles.append(role)
        users.append(user)
        db.add(orm.Spawner(user=user, name="", user_options=OPTIONS[index % len(OPTIONS)]))
        if index % 10 == 0:
            db.add(orm.Spawner(user=user, name="second", user_options=OPTIONS[(index + 1) % len(OPTIONS)]))
    db.add_all(users)
    db.commit()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
