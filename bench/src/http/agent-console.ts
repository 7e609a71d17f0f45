// The agent side of a run, whichever backend the simulator plays: list and read chats, accept, answer and end them,
// and read the simulator's protocol counters. MockAdmin (Live Agent, /__admin) and EnhancedAdmin (Enhanced Chat,
// /__admin/enhanced) both answer it, so one load run drives either.
import type { MockChat, MockStats } from './mock-admin.js'

export interface AgentConsole {
  chats(): Promise<MockChat[]>
  chat(id: string): Promise<MockChat>
  accept(id: string): Promise<void>
  message(id: string, text: string): Promise<void>
  end(id: string): Promise<void>
  stats(): Promise<MockStats>
  close(): void
}
