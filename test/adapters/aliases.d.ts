// Express 4 and Koa 2 are installed under npm aliases next to Express 5 and Koa 3;
// their APIs used by the matrix are typed the same as the current majors'.
declare module 'express4' {
  import express from 'express'
  export default express
}

declare module 'koa2' {
  import Koa from 'koa'
  export default Koa
}
