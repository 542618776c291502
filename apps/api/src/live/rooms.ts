/** Socket.IO rooms; joined only after the subscription was authorised. */
export const rooms = {
  staff: (branchId: string) => `branch:${branchId}:staff`,
  display: (branchId: string) => `branch:${branchId}:display`,
  device: (deviceId: string) => `device:${deviceId}`,
  user: (userId: string) => `user:${userId}`,
};
