// The chat page: opens (or resumes) a conversation, listens to its event stream, and sends what the customer types.
// Shapes of the stream events: src/webchat/protocol.ts.

const STORAGE_KEY = 'liveagent-hop.playground.conversationId'

const BOT_ICON =
  '<svg viewBox="0 0 24 24"><path d="M12 2a1.5 1.5 0 0 1 .75 2.8V6H17a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3V9a3 3 0 0 1 3-3h4.25V4.8A1.5 1.5 0 0 1 12 2zM9 11.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm6 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM1.5 11h1v5h-1zm20 0h1v5h-1z"/></svg>'

// Chips and placeholders in the conversation's language (the status events say it once a hand-off has started).
// `leave: true`: the chip leaves the agent chat through the chat API (the HITL plugin's /end), without a bubble.
const BOT_CHIPS = [
  { label: 'Opening hours', text: 'What are your opening hours?' },
  { label: 'Delivery times', text: 'How long does delivery take?' },
  { label: 'Talk to a human', text: 'Talk to a human' },
  { label: 'Parler à un conseiller', text: 'Je voudrais parler à un conseiller' },
]
const TEXTS = {
  en: {
    cancel: 'Cancel the request',
    cancelText: 'cancel',
    leave: 'Leave the chat',
    placeholders: { bot: 'Ask a question…', waiting: 'Write while you wait…', agent: 'Message the agent…' },
  },
  fr: {
    cancel: 'Annuler la demande',
    cancelText: 'annuler',
    leave: 'Quitter la conversation',
    placeholders: { bot: 'Posez une question…', waiting: 'Écrivez en attendant…', agent: 'Écrire au conseiller…' },
  },
  de: {
    cancel: 'Anfrage abbrechen',
    cancelText: 'abbrechen',
    leave: 'Chat verlassen',
    placeholders: {
      bot: 'Stellen Sie eine Frage…',
      waiting: 'Schreiben Sie, während Sie warten…',
      agent: 'Nachricht an den Mitarbeiter…',
    },
  },
  es: {
    cancel: 'Cancelar la solicitud',
    cancelText: 'cancelar',
    leave: 'Salir del chat',
    placeholders: { bot: 'Haz una pregunta…', waiting: 'Escribe mientras esperas…', agent: 'Escribe al agente…' },
  },
}
const OFFLINE_PLACEHOLDER = 'Connecting…'
/** How long after the last key the customer counts as no longer typing. */
const TYPING_IDLE_MS = 3000

function textsOf(locale) {
  return (
    TEXTS[
      String(locale || 'en')
        .slice(0, 2)
        .toLowerCase()
    ] ?? TEXTS.en
  )
}

function suggestionsFor(mode, locale) {
  const texts = textsOf(locale)
  if (mode === 'bot') return BOT_CHIPS
  if (mode === 'waiting') return [{ label: texts.cancel, text: texts.cancelText, secondary: true }]
  if (mode === 'agent') return [{ label: texts.leave, leave: true, secondary: true }]
  return []
}

const $ = (id) => document.getElementById(id)
const widget = document.querySelector('.widget')
const messages = $('messages')
const typing = $('typing')
const input = $('input')
const send = $('send')

const state = {
  conversationId: null,
  stream: null,
  seen: new Set(),
  mode: 'offline',
  agentName: null,
  locale: 'en',
  typing: false,
  typingTimer: null,
}

function initials(name) {
  const parts = String(name || '?')
    .trim()
    .split(/\s+/)
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1][0] ?? '') : '')).toUpperCase()
}

function setAvatar(element, who) {
  if (who && who.agent) {
    element.classList.add('is-agent')
    element.textContent = initials(who.name)
  } else {
    element.classList.remove('is-agent')
    element.innerHTML = BOT_ICON
  }
}

function timeOf(iso) {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

function scrollToBottom() {
  messages.scrollTop = messages.scrollHeight
}

/** The last message row (not a notice, not the typing indicator). */
function lastItem() {
  const items = messages.querySelectorAll('.row, .notice')
  return items[items.length - 1]
}

function addMessage(message) {
  if (state.seen.has(message.id)) return
  state.seen.add(message.id)

  if (message.role === 'notice' || message.role === 'error') {
    const notice = document.createElement('div')
    notice.className = 'notice'
    notice.dataset.role = message.role
    notice.dataset.testid = 'message'
    notice.title = timeOf(message.at)
    const text = document.createElement('span')
    text.textContent = message.text
    notice.appendChild(text)
    messages.insertBefore(notice, typing)
    scrollToBottom()
    return
  }

  const author = message.role === 'agent' ? message.author || 'Agent' : ''
  const previous = lastItem()
  const sameGroup =
    previous &&
    previous.classList.contains('row') &&
    previous.dataset.role === message.role &&
    previous.dataset.author === author
  if (sameGroup) previous.classList.remove('last-of-group')

  const row = document.createElement('div')
  row.className = 'row last-of-group' + (sameGroup ? '' : ' new-group')
  row.dataset.role = message.role
  row.dataset.author = author
  row.dataset.testid = 'message'

  if (message.role !== 'user') {
    const avatar = document.createElement('div')
    avatar.className = 'avatar avatar-small'
    setAvatar(avatar, message.role === 'agent' ? { agent: true, name: author } : null)
    row.appendChild(avatar)
  }
  const stack = document.createElement('div')
  stack.className = 'bubble-stack'
  if (author && !sameGroup) {
    const label = document.createElement('div')
    label.className = 'author'
    label.textContent = author
    stack.appendChild(label)
  }
  const bubble = document.createElement('div')
  bubble.className = 'bubble'
  bubble.title = timeOf(message.at)
  bubble.textContent = message.text
  stack.appendChild(bubble)
  row.appendChild(stack)
  messages.insertBefore(row, typing)
  scrollToBottom()
}

function setTyping(who) {
  if (!who) {
    typing.hidden = true
    return
  }
  const agent = who.who === 'agent'
  typing.classList.toggle('is-agent', agent)
  setAvatar($('typing-avatar'), agent ? { agent: true, name: who.name } : null)
  $('typing-label').textContent = agent ? `${who.name} is typing…` : ''
  typing.hidden = false
  scrollToBottom()
}

function setMode(mode, agentName, locale) {
  state.mode = mode
  state.agentName = agentName ?? null
  if (locale) state.locale = locale
  widget.dataset.mode = mode
  const status = $('status')
  status.dataset.mode = mode
  const texts = {
    bot: 'Assistant · online',
    waiting: 'Waiting for an agent…',
    agent: `${agentName} · live agent`,
    offline: state.conversationId ? 'Reconnecting…' : 'Connecting…',
  }
  $('status-text').textContent = texts[mode] ?? ''
  setAvatar($('header-avatar'), mode === 'agent' ? { agent: true, name: agentName } : null)
  input.placeholder = mode === 'offline' ? OFFLINE_PLACEHOLDER : (textsOf(state.locale).placeholders[mode] ?? '')
  const online = mode !== 'offline'
  input.disabled = !online
  send.disabled = !online
  renderSuggestions()
}

function renderSuggestions() {
  const box = $('suggestions')
  box.replaceChildren(
    ...suggestionsFor(state.mode, state.locale).map((suggestion) => {
      const chip = document.createElement('button')
      chip.type = 'button'
      chip.className = 'chip' + (suggestion.secondary ? ' is-cancel' : '')
      chip.textContent = suggestion.label
      chip.addEventListener('click', () => (suggestion.leave ? leaveChat() : sendText(suggestion.text)))
      return chip
    })
  )
}

async function post(path, body) {
  const response = await fetch(`/api/conversations/${state.conversationId}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}))
    throw new Error(answer.error || `the server answered ${response.status}`)
  }
}

/** Tells the agent the customer types (while an agent has the chat), and when they stopped. */
function setCustomerTyping(typing) {
  clearTimeout(state.typingTimer)
  if (typing) state.typingTimer = setTimeout(() => setCustomerTyping(false), TYPING_IDLE_MS)
  if (state.typing === typing || !state.conversationId || state.mode !== 'agent') {
    if (!typing) state.typing = false
    return
  }
  state.typing = typing
  void post('/typing', { typing }).catch(() => undefined)
}

async function leaveChat() {
  if (!state.conversationId) return
  await post('/leave', {}).catch((error) =>
    addMessage({
      id: `local-${Date.now()}`,
      role: 'error',
      text: `Not sent: ${error.message}`,
      at: new Date().toISOString(),
    })
  )
}

async function sendText(text) {
  const trimmed = text.trim()
  if (!trimmed || !state.conversationId) return
  setCustomerTyping(false)
  try {
    const response = await fetch(`/api/conversations/${state.conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: trimmed }),
    })
    if (!response.ok) {
      const body = await response.json().catch(() => ({}))
      throw new Error(body.error || `the server answered ${response.status}`)
    }
  } catch (error) {
    addMessage({
      id: `local-${Date.now()}`,
      role: 'error',
      text: `Not sent: ${error.message}`,
      at: new Date().toISOString(),
    })
  }
}

async function openConversation() {
  const stored = sessionStorage.getItem(STORAGE_KEY)
  if (stored) {
    const response = await fetch(`/api/conversations/${stored}`)
    if (response.ok) return stored
  }
  // The name the customer gave (?name=… on the page's address), else the chat calls them "Visitor N".
  const name = new URLSearchParams(location.search).get('name')
  const response = await fetch('/api/conversations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(name ? { name } : {}),
  })
  const { conversationId } = await response.json()
  sessionStorage.setItem(STORAGE_KEY, conversationId)
  return conversationId
}

function listen() {
  const stream = new EventSource(`/api/conversations/${state.conversationId}/events`)
  state.stream = stream
  stream.addEventListener('message', (event) => addMessage(JSON.parse(event.data)))
  stream.addEventListener('status', (event) => {
    const status = JSON.parse(event.data)
    setMode(status.mode, status.agentName, status.locale)
  })
  stream.addEventListener('typing', (event) => setTyping(JSON.parse(event.data).typing))
  stream.addEventListener('error', () => {
    setMode('offline')
    setTyping(null)
    // Closed for good (the playground restarted and forgot the conversation): start a new one.
    if (stream.readyState === EventSource.CLOSED) {
      sessionStorage.removeItem(STORAGE_KEY)
      setTimeout(start, 1000)
    }
  })
}

async function start() {
  setMode('offline')
  try {
    const info = await (await fetch('/api/info')).json()
    $('console-link').href = info.consoleUrl
    input.maxLength = info.maxTextLength
    const conversationId = await openConversation()
    if (state.conversationId && conversationId !== state.conversationId) {
      for (const item of messages.querySelectorAll('.row, .notice')) item.remove()
      state.seen.clear()
    }
    state.conversationId = conversationId
    listen()
  } catch {
    setTimeout(start, 2000)
  }
}

input.addEventListener('input', () => setCustomerTyping(input.value.trim().length > 0))

$('composer').addEventListener('submit', (event) => {
  event.preventDefault()
  const text = input.value
  input.value = ''
  input.focus()
  void sendText(text)
})

setAvatar($('header-avatar'), null)
void start()
