/* global document */
// The phrase tester page: sends what the designer typed to /api/phrase-tester/* and shows the router's answers.
// Everything the designer typed is shown with textContent, never as HTML.
const $ = (id) => document.getElementById(id)

const lines = (id) =>
  $(id)
    .value.split('\n')
    .map((line) => line.trim())
    .filter(Boolean)

const request = () => ({
  locale: $('locale').value,
  kind: $('kind').value,
  additions: {
    cues: lines('cues'),
    targets: lines('targets'),
    phrases: lines('phrases'),
    neverTrigger: lines('never'),
    cancelPhrases: lines('cancels'),
  },
})

const showError = (message) => {
  $('error').textContent = message
  $('error').hidden = !message
}

// Counts the answers shown, so a test (or a curious designer) can tell a new answer from the previous one.
const answered = () => {
  document.body.dataset.answers = String(Number(document.body.dataset.answers ?? 0) + 1)
}

const post = async (path, body) => {
  try {
    return await send(path, body)
  } finally {
    // A task, not a microtask: it runs after the caller has rendered what came back.
    setTimeout(answered, 0)
  }
}

const send = async (path, body) => {
  showError('')
  let response
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  } catch {
    showError('The playground did not answer. Is it still running?')
    return undefined
  }
  const answer = await response.json()
  if (!response.ok) {
    showError(answer.error ?? `The playground answered HTTP ${response.status}.`)
    return undefined
  }
  return answer
}

const cell = (row, text, className) => {
  const td = document.createElement('td')
  td.textContent = text
  if (className) td.className = className
  row.append(td)
  return td
}

$('test-button').addEventListener('click', async () => {
  const answer = await post('/api/phrase-tester/match', { ...request(), sentences: $('sentences').value })
  if (!answer) return
  const body = $('results').querySelector('tbody')
  body.replaceChildren()
  for (const result of answer.results) {
    const row = document.createElement('tr')
    cell(row, result.text)
    const verdict = cell(row, result.matched ? 'match' : 'no match', 'result')
    verdict.dataset.matched = String(result.matched)
    cell(row, result.explanation, 'explanation')
    body.append(row)
  }
  $('results').hidden = false
})

const percent = (value) => `${(value * 100).toFixed(1)} %`

$('score-button').addEventListener('click', async () => {
  const answer = await post('/api/phrase-tester/evaluate', { ...request(), list: $('labelled').value })
  if (!answer) return
  const { scores } = answer
  $('precision').textContent = percent(scores.precision)
  $('recall').textContent = percent(scores.recall)
  $('false-positives').textContent = percent(scores.falsePositiveRate)
  $('counted').textContent = String(answer.sentences)
  const mistakes = scores.mistakes.map((mistake) => {
    const item = document.createElement('li')
    item.textContent = `${mistake.expected ? 'Missed' : 'Fired on'} line ${mistake.line}, "${mistake.text}": ${mistake.explanation}`
    return item
  })
  if (mistakes.length === 0) {
    const item = document.createElement('li')
    item.textContent = 'None: every sentence got its label.'
    mistakes.push(item)
  }
  $('mistakes').replaceChildren(...mistakes)
  $('list-warnings').replaceChildren(
    ...answer.errors.map((warning) => {
      const item = document.createElement('li')
      item.textContent = `Skipped: ${warning}`
      return item
    })
  )
  $('scores').hidden = false
})
