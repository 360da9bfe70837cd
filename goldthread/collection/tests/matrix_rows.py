"""Collection pages added beside the core matrix (core's MATRIX holds the older rows).

The Excel collection template: any officer downloads a template of the figures they own from
My updates (an officer who owns nothing is told so on the page); only the performance team
downloads one for another data owner or for every indicator. A choice gives the file, a wrong
choice the page with its error: both 200.
"""

# fmt: off
ROWS = {
    #  url                                              public alice bob charlie dana  ed  fay
    "/my-updates/template/":                            (302, 200, 200, 200, 403, 403, 200),
    "/imports/template/":                               (302, 200, 403, 403, 403, 403, 403),
}
# fmt: on
