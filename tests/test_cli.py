"""The command line: render, formats, init, schema; exit codes; outputs written atomically."""

from __future__ import annotations

import ast
import json
import re

from narrator.intake.jsonschema import figures_schema

from .conftest import CASES, EXAMPLE, ROOT, run


def test_render_to_stdout_is_the_golden_text(runner) -> None:
    result = run(runner, "render", str(EXAMPLE))
    assert result.exit_code == 0  # written, with the findings of narrator check: two 尾差 notes (notes do not fail)
    assert result.stdout == (CASES / "atushi-2025" / "expected.md").read_text(encoding="utf-8")
    assert [line.split(" ")[1:3] for line in result.stderr.splitlines()] == [
        ["提示", "class-total"], ["提示", "basic-total"]]
    assert run(runner, "render", str(EXAMPLE), "--fail-on", "warning").exit_code == 0


def test_render_to_files_follows_the_extension(runner, tmp_path) -> None:
    md, txt = tmp_path / "第三部分.md", tmp_path / "第三部分.txt"
    assert run(runner, "render", str(EXAMPLE), "-o", str(md), "--fail-on", "warning").exit_code == 0
    assert run(runner, "render", str(EXAMPLE), "-f", "xinjiang-2025", "-o", str(txt), "--fail-on", "warning").exit_code == 0
    assert md.read_text(encoding="utf-8").startswith("# 第三部分 2025年部门预算情况说明\n\n## 一、")
    text = txt.read_text(encoding="utf-8")
    assert text.startswith("第三部分 2025年部门预算情况说明\n\n一、关于阿图什市信访局")
    assert "#" not in text and "| --- |" not in text
    assert "1\t信访业务工作经费\t一般公共预算\t15.00" in text
    # beside each text file, what narrator update needs to keep a person's edits
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "第三部分.md", "第三部分.md.narrator.json", "第三部分.txt", "第三部分.txt.narrator.json"]


def test_bad_input_leaves_no_file_behind(runner, tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("department: 某局\nyear: 二零二五\n", encoding="utf-8")
    out = tmp_path / "out.md"
    result = run(runner, "render", str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_unknown_output_type(runner, tmp_path) -> None:
    result = run(runner, "render", str(EXAMPLE), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "不支持的输出类型 “.pdf”" in result.stderr


def test_formats_lists_each_with_a_description(runner) -> None:
    result = run(runner, "formats")
    assert result.exit_code == 0
    assert "xinjiang-2025\t新疆维吾尔自治区 2025 年部门预算公开的第三部分" in result.stdout


def test_init_writes_a_commented_file_that_loads_and_renders(runner, tmp_path) -> None:
    path = tmp_path / "figures.yaml"
    result = run(runner, "init", "-o", str(path), "--year", "2026", "--department", "某市某局")
    assert result.exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "department: \"某市某局\"" in text and "year: 2026" in text
    assert "format: xinjiang-2025 " in text
    # the priors are left empty, not 0: an unfilled prior is a missing prior, in check and render alike
    assert "prior: 0" not in text and "    prior:\n" in text
    rendered, checked = run(runner, "render", str(path)), run(runner, "check", str(path))
    assert rendered.exit_code == checked.exit_code == 2 and rendered.stdout == ""
    missing = [line for line in rendered.stderr.splitlines() if " 错误 missing-prior " in line]
    assert missing[0] == (f"{path}:21:3: 错误 missing-prior 缺少上年数 income.general.prior：说明文字要与上年比较"
                          "（规则 income.*.change），请填写 prior；上年没有则填 0")
    # the errors name exactly the priors the blank file leaves empty, and check reports the same ones
    empty = [line for line in text.splitlines() if re.match(r"^ *prior: *(?:#.*)?$", line)]
    named = {re.search(r"缺少上年数 ([\w.]+)", line).group(1) for line in missing}
    assert named == {"income.general.prior", "expenditure.basic.prior", "expenditure.project.prior",
                     "general_budget.basic.prior", "general_budget.project.prior", "operating_costs.prior",
                     *(f"three_public.{part}.prior" for part in ("abroad", "vehicle_purchase", "vehicle_operation",
                                                                 "reception"))}
    assert len(named) == len(empty) and set(missing) <= set(checked.stdout.splitlines())
    path.write_text(text.replace("prior:\n", "prior: 0\n").replace("prior:      #", "prior: 0    #"), encoding="utf-8")
    rendered = run(runner, "render", str(path))
    assert rendered.exit_code == 0, rendered.stderr  # written; the checks it cannot make on a blank file are notes
    assert "某市某局2026年所有收入和支出均纳入部门预算管理。收支总预算0.00万元。" in rendered.stdout
    assert run(runner, "init", "-o", str(path)).exit_code == 2  # never overwrite without --force


def test_init_mentions_every_field_of_the_schema(runner) -> None:
    text = run(runner, "init").stdout
    schema = __import__("json").loads(figures_schema())
    fields = set(schema["properties"])
    for definition in schema["$defs"].values():
        fields |= set(definition.get("properties", {}))
    missing = sorted(f for f in fields if f"{f}:" not in text and f"{f} " not in text)
    assert missing == []


def test_help_is_in_chinese(runner) -> None:
    result = run(runner, "--help")
    assert "根据预算数据文件生成部门预算公开的第三部分" in result.stdout
    assert "根据数据文件生成第三部分文字" in run(runner, "render", "--help").stdout


def test_published_schemas_are_up_to_date() -> None:
    from narrator.intake.jsonschema import published_schemas

    published = published_schemas()
    assert sorted(p.name for p in (ROOT / "schema").glob("*.json")) == sorted(published)
    assert set(published) == {"figures.schema.json", "final-accounts.schema.json", "hebei-2021.schema.json",
                              "performance-self-evaluation.schema.json", "shanghai-budget.schema.json",
                              "shanghai-final-accounts.schema.json"}
    for name, text in published.items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == text, name
    assert published["figures.schema.json"] == figures_schema()


def test_a_format_schema_has_its_fields_and_the_core_schema_has_none_of_them() -> None:
    core = json.loads(figures_schema())
    hebei = json.loads(figures_schema("hebei-2021"))
    assert "profile" not in core["properties"] and "short_name" not in core["properties"]
    assert hebei["properties"]["short_name"]["description"] == "部门简称（文中使用）"
    assert hebei["properties"]["profile"]["description"] == "部门职责及机构设置"
    assert "subsidies" in json.dumps(hebei["$defs"]) and "subsidies" not in json.dumps(core)
    final = json.loads(figures_schema("final-accounts"))
    assert "budget_reason" in json.dumps(final) and "budget_reason" not in json.dumps(hebei)


def test_only_the_cli_imports_typer() -> None:
    offenders = []
    for path in (ROOT / "src" / "narrator").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] in ("typer", "click") for n in names) and path.name != "cli.py":
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_import_contracts_are_kept() -> None:
    """import-linter's contract in pyproject.toml: the library never imports the CLI layer."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_usage_errors_are_in_chinese_with_exit_code_2() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "narrator", "render", "--bogus"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.endswith("narrator render [选项] {数据文件}\n错误：没有这个选项: --bogus\n")
    assert done.stderr.startswith("用法：")


def test_no_update_sidecar_beside_documents_people_do_not_edit_as_text(runner, tmp_path) -> None:
    for name in ("第三部分.html", "第三部分.docx"):
        assert run(runner, "render", str(EXAMPLE), "-o", str(tmp_path / name), "--fail-on", "warning").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["第三部分.docx", "第三部分.html"]


def test_every_command_names_the_document_format_with_doc_format(runner, tmp_path) -> None:
    """--doc-format (-f) is the document format and --format the output form, in every command."""
    rendered = run(runner, "render", str(EXAMPLE), "--doc-format", "xinjiang-2025", "--fail-on", "warning")
    assert rendered.exit_code == 0 and rendered.stdout.startswith("# 第三部分")
    assert run(runner, "check", str(EXAMPLE), "-f", "xinjiang-2025", "--fail-on", "warning").exit_code == 0
    from narrator.cli import app
    import typer

    def walk(command, path=()):
        yield path, command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, (*path, name))

    meanings = {}
    for path, command in walk(typer.main.get_command(app)):
        for param in command.params:
            for opt in [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]:
                if opt.startswith("-"):
                    meanings.setdefault(opt, set()).add(param.name)
    assert meanings["--doc-format"] == meanings["-f"] == {"format_name"}
    assert meanings["--format"] == {"output_format"}  # the output form: text, json (html)


def test_explain_file_is_not_written_when_the_text_cannot_be(runner, tmp_path) -> None:
    result = run(runner, "render", str(EXAMPLE), "-o", str(tmp_path / "x.pdf"), "--explain", str(tmp_path / "s.json"))
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []
