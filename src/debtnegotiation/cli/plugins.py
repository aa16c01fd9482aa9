"""``debtneg plugins``: what is installed and what each plugin implements."""

from __future__ import annotations

import click

from debtnegotiation.cli._common import (
    DebtnegGroup,
    catalog_for,
    echo,
    format_option,
    grid,
    json_text,
    locale_option,
    plugin_host,
)

__all__ = ["plugins"]


@click.command()
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Include the built-in plugins (strategies, reviews, the default formatter).",
)
@locale_option
@format_option("table", "markdown", "json", default="table")
@click.pass_context
def plugins(ctx: click.Context, *, show_all: bool, locale: str, output_format: str) -> None:
    """Installed plugins: name, distribution, version and the hooks each implements."""
    host = plugin_host(ctx)
    infos = [i for i in host.plugins() if show_all or not i.builtin]
    group = ctx.find_root().command
    commands = sorted(group.plugin_commands(ctx)) if isinstance(group, DebtnegGroup) else []
    failures = [str(f) for f in host.load_failures]
    if output_format == "json":
        data = {"plugins": infos, "commands": commands, "load_failures": failures}
        echo(json_text(data))
        return
    _ = catalog_for(ctx, locale).gettext
    header = [_("name"), _("distribution"), _("version"), _("hooks")]
    rows = [
        [
            i.name,
            _("(built-in)") if i.builtin else (i.distribution or "-"),
            i.version or "-",
            ", ".join(i.hooks) or "-",
        ]
        for i in infos
    ]
    parts = [grid(output_format, header, rows) if rows else _("no plugins installed") + "\n"]
    if commands:
        parts.append(
            _("commands added by plugins: %(commands)s") % {"commands": ", ".join(commands)} + "\n"
        )
    parts += [_("failed to load: %(failure)s") % {"failure": f} + "\n" for f in failures]
    echo("\n".join(parts))
