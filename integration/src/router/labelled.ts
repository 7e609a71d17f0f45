// Labelled sentences ("+ talk to a human", "- I talked to an agent"), as the corpus files and the playground's phrase
// tester write them, and the scores of a matcher against them.

export type LabelledSentence = { text: string; expected: boolean; line: number }

const LABELLED_LINE = /^([+-])\s*(.*)$/

/** Parses one sentence per line; blank lines and `#` comments are skipped; a line without a label is an error. */
export const parseLabelledList = (text: string): { sentences: LabelledSentence[]; errors: string[] } => {
  const sentences: LabelledSentence[] = []
  const errors: string[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const labelled = LABELLED_LINE.exec(line)
    if (!labelled || !labelled[2]!.trim()) {
      errors.push(
        labelled
          ? `Line ${index + 1} has a label but no sentence.`
          : `Line ${index + 1} has no label: start it with + (should match) or - (should not match).`
      )
      return
    }
    sentences.push({ text: labelled[2]!.trim(), expected: labelled[1] === '+', line: index + 1 })
  })
  return { sentences, errors }
}

export type Mistake = { text: string; line: number; expected: boolean; explanation: string }

export type Scores = {
  truePositives: number
  falseNegatives: number
  falsePositives: number
  trueNegatives: number
  /** Share of the matches that were right; 1 when nothing matched. */
  precision: number
  /** Share of the positive sentences that matched; 1 when there were none. */
  recall: number
  /** Share of the negative sentences that matched; 0 when there were none. */
  falsePositiveRate: number
  mistakes: Mistake[]
}

export const scoreSentences = (
  sentences: readonly LabelledSentence[],
  judge: (text: string) => { matched: boolean; explanation: string }
): Scores => {
  let truePositives = 0
  let falseNegatives = 0
  let falsePositives = 0
  let trueNegatives = 0
  const mistakes: Mistake[] = []
  for (const sentence of sentences) {
    const decision = judge(sentence.text)
    if (decision.matched === sentence.expected) {
      if (sentence.expected) truePositives++
      else trueNegatives++
      continue
    }
    if (sentence.expected) falseNegatives++
    else falsePositives++
    mistakes.push({ ...sentence, explanation: decision.explanation })
  }
  const ratio = (part: number, whole: number, empty: number) => (whole === 0 ? empty : part / whole)
  return {
    truePositives,
    falseNegatives,
    falsePositives,
    trueNegatives,
    precision: ratio(truePositives, truePositives + falsePositives, 1),
    recall: ratio(truePositives, truePositives + falseNegatives, 1),
    falsePositiveRate: ratio(falsePositives, falsePositives + trueNegatives, 0),
    mistakes,
  }
}
