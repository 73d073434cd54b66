import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Req,
  Session,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common'
import type { Session as LatchkeySession } from 'latchkey'
import { loginRequired } from 'latchkey/nest'
import { checkLogin } from '../../shared/account.js'
import { auth } from './sessions.js'

@Controller()
export class AppController {
  @Post('inc')
  @HttpCode(200)
  async inc(@Session() session: LatchkeySession<{ n: number }>) {
    // Locked read-modify-write: concurrent requests of one session cannot lose an increment.
    await using s = await session.lock()
    s.set('n', (s.get('n') ?? 0) + 1)
    return { n: s.get('n') }
  }

  @Get('read')
  async read(@Session() session: LatchkeySession<{ n: number }>) {
    return { n: (await session.get('n')) ?? 0 }
  }

  @Post('login')
  @HttpCode(200)
  async login(@Req() req: object, @Body() body: unknown) {
    const user = checkLogin(body)
    if (!user) throw new UnauthorizedException('wrong user or password')
    await auth.of(req).login(user) // a new session id: no fixation
    return { user: user.id }
  }

  @Get('account')
  @UseGuards(loginRequired(auth))
  async account(@Req() req: object) {
    return { user: (await auth.of(req).currentUser())?.id }
  }

  @Post('logout')
  @HttpCode(200)
  async logout(@Req() req: object) {
    await auth.of(req).logout()
    return { ok: true }
  }
}
