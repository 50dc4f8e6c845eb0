#!/usr/bin/env python3
"""warren.1 (roff, man(7)) from `warren --experimental-dump-help`, the same description of
every command that swift-argument-parser's generate-manual plugin reads.

    warren --experimental-dump-help | Tools/manpage.py [--date YYYY-MM-DD] > warren.1

One page: NAME, SYNOPSIS, DESCRIPTION (the root's abstract and discussion, which holds the
exit codes), then COMMANDS with a subsection per command (nested ones as `warren a b`),
each with its usage, discussion and options. Hidden commands and options are left out.
"""
import datetime
import json
import sys


def esc(text):
    """Text for roff: backslashes as \\e, '-' as \\-, non-ASCII as \\[uXXXX], a leading '.' or "'" guarded."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    # Non-ASCII as \[uXXXX]: groff reads its input as Latin-1 unless preconv runs first.
    text = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)
    lines = []
    for line in text.split("\n"):
        if line.startswith(".") or line.startswith("'"):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def paragraphs(text):
    out = []
    for block in text.strip().split("\n\n"):
        block = block.strip("\n")
        if not block.strip():
            continue
        # Indented blocks (examples) keep their lines; prose is refilled by man.
        if all(l.startswith("  ") for l in block.split("\n")):
            out += [".PP", ".nf", esc(block), ".fi"]
        else:
            out += [".PP", esc(" ".join(l.strip() for l in block.split("\n")))]
    return out


def flag(arg):
    names = []
    for n in arg.get("names", []):
        names.append(("-" if n["kind"] == "short" else "--") + n["name"])
    value = arg.get("valueName")
    text = ", ".join(names) if names else "<%s>" % value
    if arg["kind"] == "option" and value:
        text += " <%s>" % value
    if arg.get("isRepeating"):
        text += " ..."
    return text


def usage(path, args):
    parts = [path]
    for a in args:
        if not a.get("shouldDisplay", True):
            continue
        if a["kind"] == "positional":
            item = "<%s>" % a.get("valueName", "value")
        else:
            pref = a.get("preferredName") or a["names"][0]
            item = ("-" if pref["kind"] == "short" else "--") + pref["name"]
            if a["kind"] == "option":
                item += " <%s>" % a.get("valueName", "value")
        if a.get("isRepeating"):
            item += " ..."
        parts.append("[%s]" % item if a.get("isOptional") else item)
    return " ".join(parts)


def commands(command, path):
    """(path, command) for every displayed command below `command`, depth first."""
    for sub in command.get("subcommands", []):
        if not sub.get("shouldDisplay", True):
            continue
        here = path + " " + sub["commandName"]
        yield here, sub
        yield from commands(sub, here)


def main():
    date = datetime.date.today().isoformat()
    if len(sys.argv) == 3 and sys.argv[1] == "--date":
        date = sys.argv[2]
    root = json.load(sys.stdin)["command"]
    name = root["commandName"]
    out = ['.TH "%s" "1" "%s" "Warren" "User Commands"' % (name.upper(), date),
           ".SH NAME", "%s \\- %s" % (name, esc(root.get("abstract", ""))),
           ".SH SYNOPSIS", ".B %s" % name, "[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR]",
           ".SH DESCRIPTION"]
    out += paragraphs(root.get("discussion", ""))
    out += [".SH COMMANDS"]
    for path, sub in commands(root, name):
        out += [".SS %s" % esc(path)]
        if sub.get("abstract"):
            out += [esc(sub["abstract"])]
        args = [a for a in sub.get("arguments", []) if a.get("shouldDisplay", True)
                and not any(n["name"] == "help" for n in a.get("names", []))]
        if sub.get("subcommands"):
            out += [".PP", "Subcommands: " + esc(", ".join(s["commandName"] for s in sub["subcommands"]
                                                          if s.get("shouldDisplay", True))) + "."]
        else:
            out += [".PP", ".B Usage:", ".nf", esc(usage(path, args)), ".fi"]
        if sub.get("discussion"):
            out += paragraphs(sub["discussion"])
        for a in args:
            out += [".TP", "\\fB%s\\fR" % esc(flag(a)), esc(a.get("abstract", "") or "")]
    out += [".SH ENVIRONMENT", ".TP", "WARREN_REPO", "The repository when \\-\\-repo is not given.",
            ".TP", "WARREN_RABBITMQCTL", "The rabbitmqctl to run when \\-\\-rabbitmqctl is not given.",
            ".SH SEE ALSO", "rabbitmqctl(8), systemd.timer(5); README.md of the Warren sources."]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
