import type { Application, NextFunction, Request, Response } from 'express'
import { Authenticator } from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import { expressSessionCompat, latchkey } from '../../src/adapters/express/index.js'
import type { AnySessions } from '../../src/adapters/shared.js'

export interface User {
  id: string
  name: string
}

export const USERS = new Map<string, User & { password: string }>([
  ['alice', { id: 'alice', name: 'Alice', password: 'wonderland' }],
])

/** A request handler that may be async; its rejection goes to Express. */
export function route(
  handler: (req: Request, res: Response) => unknown,
): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    Promise.resolve(handler(req, res)).catch(next)
  }
}

/**
 * Passport (its own instance) with passport-local on `app`, over latchkey's
 * `manager` through expressSessionCompat, the way an express-session app
 * mounts it. The user is kept in the session by id and read back from USERS.
 */
export function passportOn(app: Application, manager: AnySessions) {
  const passport = new Authenticator()
  passport.use(
    new LocalStrategy({ usernameField: 'user' }, (username, password, done) => {
      const user = USERS.get(username)
      if (!user || user.password !== password) return done(null, false)
      done(null, { id: user.id, name: user.name })
    }),
  )
  passport.serializeUser<string>((user, done) => done(null, (user as User).id))
  passport.deserializeUser<string>((id, done) => {
    const user = USERS.get(id)
    done(null, user ? { id: user.id, name: user.name } : false)
  })
  app.use(latchkey(manager), expressSessionCompat(manager))
  app.use(passport.initialize())
  app.use(passport.session())
  return passport
}
