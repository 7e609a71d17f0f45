/* global document, window */
// The phrase tester page: sends what the designer typed to /api/phrase-tester/* and shows the router's answers.
// Everything the designer typed is shown with textContent, never as HTML.
const $ = (id) => document.getElementById(id)

const lines = (id) =>
  $(id)
    .value.split('\n')
    .map((line) => line.trim())
    .filter(Boolean)

// The near-miss choice as the configuration's `rescue` writes it: true, "named" or false.
const rescueSetting = (value) => (value === 'named' ? value : value === 'true')

const request = () => ({
  locale: $('locale').value,
  kind: $('kind').value,
  additions: {
    cues: lines('cues'),
    targets: lines('targets'),
    phrases: lines('phrases'),
    neverTrigger: lines('never'),
    cancelPhrases: lines('cancels'),
    requestCheck: {
      enabled: $('check-enabled').checked,
      rescue: rescueSetting($('check-rescue').value),
      examples: lines('check-examples'),
    },
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

const element = (tag, text, className) => {
  const node = document.createElement(tag)
  node.textContent = text
  if (className) node.className = className
  return node
}

const cell = (row, text, className) => {
  const td = element('td', text, className)
  row.append(td)
  return td
}

const button = (label, onClick) => {
  const node = element('button', label, 'small')
  node.type = 'button'
  node.addEventListener('click', onClick)
  return node
}

// The configuration the server built from the request check settings tried; nothing to copy for the default.
const showRequestCheckConfig = (requestCheck) => {
  $('check-snippet').textContent = JSON.stringify({ requestCheck }, null, 2)
  $('check-config').hidden = requestCheck.length === 0
  $('copy-snippet').textContent = 'Copy'
}

$('copy-snippet').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('check-snippet').textContent)
    $('copy-snippet').textContent = 'Copied'
  } catch {
    // No clipboard (a page not served from localhost): select the text for the designer to copy.
    window.getSelection().selectAllChildren($('check-snippet'))
  }
})

const UNLIKELY_REQUEST = 'unlikely-request'

const addExample = (line) => {
  const examples = lines('check-examples')
  if (!examples.includes(line)) $('check-examples').value = [...examples, line].join('\n')
}

// What the designer can change right here to see the decision flip; settings are per locale, so only for the one
// picked.
const checkHint = (result) => {
  if (result.locale !== $('locale').value) {
    return element(
      'p',
      `Read as ${result.locale}: pick ${result.locale} above to add an example or turn its request check off.`,
      'check-hint'
    )
  }
  const hint = element(
    'p',
    `If it is a request, add it (or one like it) as a + example, or turn the check off for ${result.locale}:`,
    'check-hint'
  )
  hint.append(
    document.createElement('br'),
    button('Add as + example', () => {
      addExample(`+ ${result.text}`)
      testSentences()
    }),
    button('Turn the check off', () => {
      $('check-enabled').checked = false
      testSentences()
    })
  )
  return hint
}

// A refusal by the request check, told as what the rules found, what weighed against, and what changes it.
const explainUnlikelyRequest = (td, result) => {
  const found = [result.cue && `cue "${result.cue}"`, result.target && `target "${result.target}"`]
  const facts = document.createElement('dl')
  facts.className = 'check-facts'
  const against = document.createElement('ul')
  against.className = 'against'
  against.append(...(result.weighed ?? []).map((words) => element('li', words)))
  const weighed = document.createElement('dd')
  weighed.append(against)
  facts.append(
    element('dt', 'Rules found'),
    element('dd', found.filter(Boolean).join(', ') || 'a request', 'found'),
    element('dt', 'Weighed against'),
    weighed
  )
  const sentence = document.createElement('details')
  sentence.append(element('summary', "The router's sentence"), element('p', result.explanation))
  td.append(
    element('p', 'Refused by the request check: it reads as a remark rather than a request.', 'check-verdict'),
    facts,
    checkHint(result),
    sentence
  )
}

const showResults = (results) => {
  const body = $('results').querySelector('tbody')
  body.replaceChildren()
  for (const result of results) {
    const row = document.createElement('tr')
    cell(row, result.text)
    const verdict = cell(row, result.matched ? 'match' : 'no match', 'result')
    verdict.dataset.matched = String(result.matched)
    if (result.reason === UNLIKELY_REQUEST) explainUnlikelyRequest(cell(row, '', 'explanation'), result)
    else cell(row, result.explanation, 'explanation')
    body.append(row)
  }
  $('results').hidden = false
}

const testSentences = async () => {
  const answer = await post('/api/phrase-tester/match', { ...request(), sentences: $('sentences').value })
  if (!answer) return
  showResults(answer.results)
  showRequestCheckConfig(answer.requestCheck)
}

$('test-button').addEventListener('click', testSentences)

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
  showRequestCheckConfig(answer.requestCheck)
})

// Each locale's built-in near-miss choice, from the integration; the choice is preset to it when the locale changes.
let builtInRescue = {}
const presetRescue = () => {
  $('check-rescue').value = String(builtInRescue[$('locale').value] ?? false)
}
$('locale').addEventListener('change', presetRescue)

const loadDefaults = async () => {
  try {
    const response = await fetch('/api/phrase-tester/defaults')
    builtInRescue = (await response.json()).rescue
  } catch {
    showError('The playground did not answer. Is it still running?')
  }
  presetRescue()
  // Tells a test (or a curious designer) that the presets are in.
  document.body.dataset.ready = 'true'
}
loadDefaults()
