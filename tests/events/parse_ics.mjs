// Reads every .ics named on the command line with Mozilla's ical.js and
// prints one JSON line per file: the events' UID, SEQUENCE, start (UTC) and
// status, and the calendar's METHOD. Any parse error fails the run.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

for (const file of process.argv.slice(2)) {
  const jcal = ICAL.parse(readFileSync(file, "utf8"));
  const cal = new ICAL.Component(jcal);
  const events = cal.getAllSubcomponents("vevent").map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      sequence: e.sequence,
      start: e.startDate.toJSDate().toISOString(),
      isDate: e.startDate.isDate,
      status: c.getFirstPropertyValue("status"),
    };
  });
  console.log(JSON.stringify({ file, method: cal.getFirstPropertyValue("method"), events }));
}
