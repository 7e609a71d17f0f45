// The built-in lexicons, one file per language.
import type { Lexicon } from '../lexicon.js'
import { de } from './de.js'
import { en } from './en.js'
import { es } from './es.js'
import { fr } from './fr.js'

export const BUILT_IN_LEXICONS: Readonly<Record<string, Lexicon>> = { en, fr, de, es }
