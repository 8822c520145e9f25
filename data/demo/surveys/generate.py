#!/usr/bin/env python3
"""Writes member-survey-2020.xlsx: the 2020 ILO/Cinterfor member survey as an
XLSForm in es/en/pt. A RECONSTRUCTION: the report (shared/seed, line 20) says
only that the survey asked member VTIs "how these measures affected their
normal operations, the strategies they began to adopt to mitigate their
effects, and the emerging demands for cooperation to be met by ILO/Cinterfor".
The questions below ask exactly that; the choices of strategies are the
responses the report itself names (online and distance training, support to
health policies, broadband access, tablets and laptops, agreements with
technology and content providers, digital TV channels). Nothing else is
invented, and there are no responses.
Run: python3 data/demo/surveys/generate.py   (needs openpyxl)
"""
import os
import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
L = ["label::Español (es)", "label::English (en)", "label::Português (pt)"]
H = ["hint::Español (es)", "hint::English (en)", "hint::Português (pt)"]
survey = [
    ["type", "name"] + L + H + ["required", "relevant", "appearance", "constraint",
     "constraint_message::Español (es)", "constraint_message::English (en)", "constraint_message::Português (pt)"],
    ["note", "about",
     "Reconstrucción: el informe de 2020 dice qué preguntó la encuesta a las IFP miembros, no sus preguntas exactas.",
     "Reconstruction: the 2020 report says what the survey asked member VTIs, not its exact questions.",
     "Reconstrução: o relatório de 2020 diz o que a pesquisa perguntou às IFP membros, não as perguntas exatas.",
     "", "", "", "", "", "", "", "", "", ""],
    ["begin_group", "operations", "Efectos en el funcionamiento normal", "Effects on normal operations",
     "Efeitos no funcionamento normal", "", "", "", "", "", "field-list", "", "", "", ""],
    ["select_one yes_no", "affected", "¿Las medidas tomadas (como el cierre de las clases presenciales) afectaron el funcionamiento normal de su institución?",
     "Did the measures taken (such as the closure of face-to-face classes) affect your institution's normal operations?",
     "As medidas tomadas (como o fechamento das aulas presenciais) afetaram o funcionamento normal da sua instituição?",
     "", "", "", "yes", "", "", "", "", "", ""],
    ["text", "effects", "¿Cómo afectaron esas medidas su funcionamiento normal?", "How did these measures affect your normal operations?",
     "Como essas medidas afetaram o seu funcionamento normal?", "", "", "", "yes", "${affected} = 'yes'", "multiline",
     "string-length(.) >= 10", "Escriba al menos 10 caracteres.", "Write at least 10 characters.", "Escreva pelo menos 10 caracteres."],
    ["end_group", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["begin_group", "strategies_group", "Estrategias adoptadas", "Strategies adopted", "Estratégias adotadas",
     "", "", "", "", "", "", "", "", "", ""],
    ["select_multiple strategy or_other", "strategies", "¿Qué estrategias comenzó a adoptar para mitigar sus efectos?",
     "Which strategies did you begin to adopt to mitigate their effects?", "Que estratégias começou a adotar para mitigar os seus efeitos?",
     "Marque todas las que correspondan.", "Tick all that apply.", "Marque todas as que se aplicam.", "yes", "", "", "", "", "", ""],
    ["begin_repeat", "strategy_detail", "Describa cada estrategia", "Describe each strategy", "Descreva cada estratégia",
     "", "", "", "", "count-selected(${strategies}) > 0", "", "", "", "", ""],
    ["text", "strategy_description", "Estrategia y a quiénes alcanzó", "Strategy and whom it reached", "Estratégia e quem alcançou",
     "", "", "", "", "", "multiline", "", "", "", ""],
    ["end_repeat", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["end_group", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["begin_group", "cooperation", "Demandas de cooperación", "Demands for cooperation", "Demandas de cooperação",
     "", "", "", "", "", "field-list", "", "", "", ""],
    ["text", "demands", "¿Qué demandas de cooperación debería atender OIT/Cinterfor?",
     "Which demands for cooperation should ILO/Cinterfor meet?", "Que demandas de cooperação a OIT/Cinterfor deveria atender?",
     "", "", "", "yes", "", "multiline", "", "", "", ""],
    ["end_group", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
]
choices = [
    ["list_name", "name"] + L,
    ["yes_no", "yes", "Sí", "Yes", "Sim"],
    ["yes_no", "no", "No", "No", "Não"],
    ["strategy", "online", "Formación a distancia y en línea", "Distance and online training", "Formação a distância e online"],
    ["strategy", "health", "Apoyo a las políticas de salud (material de protección, equipos)", "Support to health policies (protective material, equipment)", "Apoio às políticas de saúde (material de proteção, equipamentos)"],
    ["strategy", "broadband", "Acceso a banda ancha para participantes", "Broadband access for participants", "Acesso à banda larga para participantes"],
    ["strategy", "devices", "Tabletas y computadoras portátiles", "Tablets and laptops", "Tablets e laptops"],
    ["strategy", "providers", "Acuerdos con proveedores de tecnología y contenidos", "Agreements with technology and content providers", "Acordos com provedores de tecnologia e conteúdos"],
    ["strategy", "tv", "Formación por canales de TV digital para zonas rurales y remotas", "Training on digital TV channels for rural and remote areas", "Formação por canais de TV digital para zonas rurais e remotas"],
]
settings = [["form_title", "form_id", "version", "default_language"],
            ["Encuesta a miembros 2020 (reconstrucción)", "member_survey_2020", "2020-reconstruction-1", "Español (es)"]]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "survey"
for r in survey:
    ws.append(r)
c = wb.create_sheet("choices")
for r in choices:
    c.append(r)
s = wb.create_sheet("settings")
for r in settings:
    s.append(r)
wb.save(os.path.join(HERE, "member-survey-2020.xlsx"))
print("member-survey-2020.xlsx written")
