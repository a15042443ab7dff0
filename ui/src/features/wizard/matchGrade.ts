// How sure an organisation is that a `$match` candidate is our patient: its `match-grade`
// (certain / probable / possible), or, when it sent only a score, the grade that score implies.
import type { PatientMatch } from "../../ipc/bindings/PatientMatch";

export type Grade = "certain" | "probable" | "possible" | "certainly-not";

const GRADES: readonly Grade[] = ["certain", "probable", "possible", "certainly-not"];

export const GRADE_LABELS: Record<Grade, string> = {
  certain: "Certain match",
  probable: "Probable match",
  possible: "Possible match",
  "certainly-not": "Not this patient",
};

/** The candidate's grade, or null when the organisation gave neither grade nor score. */
export function gradeOf(m: PatientMatch): Grade | null {
  const sent = GRADES.find((g) => g === m.grade);
  if (sent) return sent;
  if (m.score === null) return null;
  if (m.score >= 0.95) return "certain";
  if (m.score >= 0.7) return "probable";
  return "possible";
}

/** "Probable match (80 %)": the grade in words with the score when there is one. */
export function describeGrade(m: PatientMatch): string {
  const grade = gradeOf(m);
  const score = m.score === null ? "" : ` (${Math.round(m.score * 100)} %)`;
  return grade ? `${GRADE_LABELS[grade]}${score}` : "Found";
}
