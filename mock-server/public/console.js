// Agent console of the Salesforce chat mock: Live Agent chats and Enhanced Chat conversations arrive over
// Server-Sent Events (/console/events) and every agent action goes through the admin API (/__admin for Live Agent,
// /__admin/enhanced for Enhanced Chat). Plain browser JavaScript, no build step.
'use strict'

const ADMIN = '/__admin'
const ENHANCED = 'enhanced'
const TYPING_IDLE_MS = 2000
const ENDED_SHOWN = 20
const WAIT_CLOCK_MS = 1000
const AVATAR_COLORS = ['#0b5cab', '#2e844a', '#8a4fd8', '#c23934', '#dd7a01', '#0d9dda', '#3e3e3c', '#b60554']

const state = {
  chats: new Map(),
  selectedId: undefined,
  /** visitor messages already seen, per chat: the unread badge is the difference */
  seen: new Map(),
  agentName: localStorage.getItem('liveagent-mock.agentName') || '',
  available: true,
  typingSent: false,
  typingTimer: undefined,
}

const $ = (id) => document.getElementById(id)

// ---- helpers -----------------------------------------------------------------------------------------------

function el(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

function initials(name) {
  const parts = (name || 'Visitor').trim().split(/\s+/)
  return ((parts[0] || '')[0] + ((parts[1] || '')[0] || '')).toUpperCase()
}

function colorFor(id) {
  let hash = 0
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) | 0
  return AVATAR_COLORS[Math.abs(hash) % AVATAR_COLORS.length]
}

function avatar(chat, className) {
  const node = el('div', className, initials(chat.visitorName))
  node.style.background = colorFor(chat.id)
  return node
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

const displayName = (chat) => chat.visitorName || 'Visitor'
const visitorCount = (chat) => chat.transcript.filter((t) => t.from === 'visitor').length
const isWaiting = (chat) => chat.state === 'waiting' || chat.state === 'queued'

function unread(chat) {
  if (chat.id === state.selectedId) return 0
  return Math.max(0, visitorCount(chat) - (state.seen.get(chat.id) || 0))
}

function statePill(chat) {
  const label = chat.state === 'queued' ? `queued #${chat.queuePosition}` : chat.state
  return el('span', `pill pill-${chat.state}`, label)
}

function waitedFor(since) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(since)) / 1000))
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`
}

function preview(chat) {
  for (let i = chat.transcript.length - 1; i >= 0; i--) {
    const entry = chat.transcript[i]
    if (entry.from === 'visitor') return entry.text
    if (entry.from === 'agent') return `You: ${entry.text}`
  }
  if (chat.state === 'queued') return `In queue, position ${chat.queuePosition}`
  if (isWaiting(chat)) return 'Waiting for an agent'
  return (chat.transcript[chat.transcript.length - 1] || { text: '' }).text
}

const isEnhanced = (chat) => chat.api === ENHANCED

/** The admin path of an action on a chat: each API has its own admin routes. */
function chatPath(id, action) {
  const chat = state.chats.get(id)
  return chat && isEnhanced(chat) ? `/enhanced/conversations/${id}/${action}` : `/chats/${id}/${action}`
}

async function admin(method, path, body) {
  const res = await fetch(`${ADMIN}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) {
    const payload = await res.json().catch(() => ({ error: res.statusText }))
    throw new Error(payload.error || `HTTP ${res.status}`)
  }
}

function act(promise) {
  promise.then(
    () => showError(''),
    (error) => showError(error.message)
  )
}

function showError(message) {
  $('error').textContent = message
  $('error').hidden = !message
}

// ---- rendering ------------------------------------------------------------------------------------------

function renderLists() {
  const all = [...state.chats.values()]
  const groups = {
    waiting: all.filter(isWaiting),
    active: all.filter((c) => c.state === 'active'),
    ended: all
      .filter((c) => c.state === 'ended')
      .sort((a, b) => (b.endedAt || '').localeCompare(a.endedAt || ''))
      .slice(0, ENDED_SHOWN),
  }
  for (const [name, chats] of Object.entries(groups)) {
    const list = $(`list-${name}`)
    list.replaceChildren(...chats.map(renderItem))
    $(`count-${name}`).textContent = name === 'ended' ? all.filter((c) => c.state === 'ended').length : chats.length
  }
}

function renderItem(chat) {
  const item = el(
    'li',
    `chat-item${chat.id === state.selectedId ? ' selected' : ''}${chat.state === 'ended' ? ' ended' : ''}`
  )
  item.dataset.chatId = chat.id
  item.dataset.state = chat.state
  item.dataset.api = chat.api || 'liveagent'
  item.tabIndex = 0
  const body = el('div', 'body')
  const line = el('div', 'preview', preview(chat))
  if (isWaiting(chat)) {
    // How long the visitor has waited, kept current by the clock below.
    const wait = el('span', 'wait', ` · ${waitedFor(chat.createdAt)}`)
    wait.dataset.since = chat.createdAt
    line.append(wait)
  }
  body.append(el('div', 'name', displayName(chat)), line)
  const side = el('div', 'side')
  const last = chat.transcript[chat.transcript.length - 1]
  side.append(el('span', 'time', clock(last ? last.at : chat.createdAt)))
  const count = unread(chat)
  if (count > 0) side.append(el('span', 'badge', String(count)))
  else if (isWaiting(chat)) side.append(statePill(chat))
  item.append(avatar(chat, 'avatar'), body, side)
  item.addEventListener('click', () => select(chat.id))
  item.addEventListener('keydown', (event) => event.key === 'Enter' && select(chat.id))
  return item
}

function renderChat() {
  const chat = state.chats.get(state.selectedId)
  $('empty-state').hidden = Boolean(chat)
  $('chat').hidden = !chat
  if (!chat) return
  state.seen.set(chat.id, visitorCount(chat))

  $('chat-avatar').replaceWith(Object.assign(avatar(chat, 'avatar avatar-lg'), { id: 'chat-avatar' }))
  const name = $('chat-name')
  name.replaceChildren(document.createTextNode(displayName(chat)), statePill(chat))
  const meta = isEnhanced(chat)
    ? [
        'Enhanced Chat',
        `Conversation ${chat.id.slice(0, 8)}`,
        `Deployment ${chat.buttonId}`,
        `Routing ${chat.routingStatus}`,
        `Session ${chat.sessionStatus}${chat.sessions > 1 ? ` (#${chat.sessions})` : ''}`,
      ]
    : ['Live Agent', `Session ${chat.id.slice(0, 8)}`, `Button ${chat.buttonId}`]
  if (chat.agent) meta.push(`Agent ${chat.agent}`)
  if (chat.endReason) meta.push(`Ended: ${chat.endReason}`)
  $('chat-meta').textContent = meta.join(' · ')

  // Only the actions the chat's state allows are offered.
  $('accept').hidden = !isWaiting(chat)
  $('transfer').hidden = chat.state !== 'active'
  $('end').hidden = chat.state === 'ended'
  const canWrite = chat.state === 'active'
  $('message').disabled = !canWrite
  $('send').disabled = !canWrite
  $('message').placeholder = canWrite
    ? 'Type a reply… (Enter to send, Shift+Enter for a new line)'
    : isWaiting(chat)
      ? 'Accept the chat to reply'
      : 'This chat has ended'

  const transcript = $('transcript')
  const atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40
  transcript.replaceChildren(
    ...chat.transcript.map((entry) => {
      const item = el('li', `msg msg-${entry.from}`)
      item.append(el('div', 'bubble', entry.text))
      if (entry.from !== 'system')
        item.append(
          el(
            'span',
            'stamp',
            `${entry.from === 'agent' ? chat.agent || 'Agent' : displayName(chat)} · ${clock(entry.at)}`
          )
        )
      return item
    })
  )
  if (atBottom) transcript.scrollTop = transcript.scrollHeight

  const typing = chat.visitorTyping && chat.state !== 'ended'
  $('typing').hidden = !typing
  $('typing-text').textContent = typing
    ? `${displayName(chat)} is typing${chat.sneakPeek ? `: “${chat.sneakPeek}”` : '…'}`
    : ''
}

function render() {
  renderLists()
  renderChat()
}

function select(id) {
  if (state.selectedId !== id) {
    stopTyping()
    $('transfer-form').hidden = true
    showError('')
  }
  state.selectedId = id
  render()
  if (!$('message').disabled) $('message').focus()
}

// ---- agent actions -----------------------------------------------------------------------------------------

function agentName() {
  return $('agent-name').value.trim() || state.agentName || 'Agent'
}

function stopTyping() {
  clearTimeout(state.typingTimer)
  if (state.typingSent && state.selectedId) act(admin('POST', chatPath(state.selectedId, 'typing'), { typing: false }))
  state.typingSent = false
}

$('message').addEventListener('input', () => {
  if (!state.selectedId) return
  if ($('message').value.trim() === '') return stopTyping()
  if (!state.typingSent) {
    state.typingSent = true
    act(admin('POST', chatPath(state.selectedId, 'typing'), { typing: true }))
  }
  clearTimeout(state.typingTimer)
  state.typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS)
})

$('message').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault()
    $('composer').requestSubmit()
  }
})

$('composer').addEventListener('submit', (event) => {
  event.preventDefault()
  const text = $('message').value.trim()
  if (!text || !state.selectedId) return
  const id = state.selectedId
  $('message').value = ''
  act(admin('POST', chatPath(id, 'message'), { text }).then(() => stopTyping()))
})

$('accept').addEventListener('click', () => {
  act(admin('POST', chatPath(state.selectedId, 'accept'), { agentName: agentName() }))
})

$('end').addEventListener('click', () => {
  stopTyping()
  const chat = state.chats.get(state.selectedId)
  act(admin('POST', chatPath(state.selectedId, 'end'), chat && isEnhanced(chat) ? {} : { reason: 'agent' }))
})

$('transfer').addEventListener('click', () => {
  $('transfer-form').hidden = false
  $('transfer-name').focus()
})
$('transfer-cancel').addEventListener('click', () => ($('transfer-form').hidden = true))
$('transfer-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const to = $('transfer-name').value.trim()
  if (!to) return
  $('transfer-form').hidden = true
  $('transfer-name').value = ''
  act(admin('POST', chatPath(state.selectedId, 'transfer'), { agentName: to }))
})

$('agent-name').addEventListener('change', () => {
  state.agentName = agentName()
  localStorage.setItem('liveagent-mock.agentName', state.agentName)
})

$('availability').addEventListener('click', () => {
  const next = !state.available
  act(
    admin('PUT', '/availability', { available: next }).then(() => {
      state.available = next
      const button = $('availability')
      button.classList.toggle('status-online', next)
      button.classList.toggle('status-away', !next)
      button.setAttribute('aria-pressed', String(next))
      button.querySelector('.label').textContent = next ? 'Available' : 'Away'
    })
  )
})

// ---- live updates ------------------------------------------------------------------------------------------

function connect() {
  const source = new EventSource('/console/events')
  const connection = $('connection')
  source.addEventListener('snapshot', (event) => {
    const snapshot = JSON.parse(event.data)
    state.chats = new Map(snapshot.chats.map((chat) => [chat.id, chat]))
    if (!state.agentName) state.agentName = snapshot.agentName
    $('agent-name').value = state.agentName
    $('scenario').textContent = `scenario ${snapshot.scenario}`
    connection.textContent = 'live'
    connection.className = 'connection live'
    render()
  })
  source.addEventListener('chat', (event) => {
    const chat = JSON.parse(event.data)
    state.chats.set(chat.id, chat)
    render()
  })
  source.addEventListener('error', () => {
    connection.textContent = 'reconnecting…'
    connection.className = 'connection down'
  })
}

connect()
setInterval(() => {
  for (const wait of document.querySelectorAll('.wait')) wait.textContent = ` · ${waitedFor(wait.dataset.since)}`
}, WAIT_CLOCK_MS)
