#!/usr/bin/env python3
"""Writes survey200.xlsx: the benchmark questionnaire of `faro bench surveys`:
200 questions in 20 field-list pages of 10 (select_one, select_multiple,
integer, decimal, date, text), form_id bench200. Run with openpyxl."""
import os
import openpyxl

KINDS = ["select_one l5", "select_multiple l5", "integer", "decimal", "date", "text",
         "select_one l5", "integer", "select_one l5", "text"]
wb = openpyxl.Workbook()
s = wb.active
s.title = "survey"
s.append(["type", "name", "label", "constraint"])
for g in range(20):
    s.append(["begin_group", f"g{g}", f"Page {g + 1}", ""])
    for k in range(10):
        n = g * 10 + k
        t = KINDS[k]
        s.append([t, f"q{n}", f"Question {n}", ". >= 0" if t == "integer" else ""])
    s.append(["end_group", "", "", ""])
# field-list on every group
for row in s.iter_rows(min_row=2):
    if row[0].value == "begin_group":
        pass
s.cell(row=1, column=5, value="appearance")
for row in s.iter_rows(min_row=2):
    if row[0].value == "begin_group":
        row[0].parent.cell(row=row[0].row, column=5, value="field-list")
c = wb.create_sheet("choices")
c.append(["list_name", "name", "label"])
for i in range(5):
    c.append(["l5", f"c{i}", f"Choice {i}"])
st = wb.create_sheet("settings")
st.append(["form_title", "form_id", "version"])
st.append(["Benchmark survey", "bench200", "1"])
wb.save(os.path.join(os.path.dirname(os.path.abspath(__file__)), "survey200.xlsx"))
print("survey200.xlsx written")
