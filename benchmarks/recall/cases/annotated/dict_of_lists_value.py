# recall case: parameter annotated `dict[str, list[str]]`; the looked-up value is a list
# expect: HS101@8 "if member in groups[group]"


def members_of(people, groups: dict[str, list[str]], group: str):
    result = []
    for member in people:
        if member in groups[group]:
            result.append(member.upper())
        else:
            print("not in", group, member)
    return result
