// SVG → PNG with the Debian chromium through playwright-core (a root devDependency). Optional: without a browser
// the SVG alone is written and the caller says so (the error is the sentence naming the chromium package).
import { readFileSync } from 'node:fs'
import { CHROMIUM, CHROMIUM_ARGS, requireProgram } from '../../../test-support/system-programs.js'

export async function svgToPng(svgFile: string, pngFile: string): Promise<void> {
  const executablePath = requireProgram(CHROMIUM)
  const { chromium } = await import('playwright-core')
  const svg = readFileSync(svgFile, 'utf8')
  const width = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 1000)
  const height = Number(/height="(\d+)"/.exec(svg)?.[1] ?? 600)
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] })
  try {
    const page = await browser.newPage({ viewport: { width, height } })
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`)
    await page.screenshot({ path: pngFile, clip: { x: 0, y: 0, width, height } })
  } finally {
    await browser.close()
  }
}
